"""In Chromium on a phone: whoever scanned a document's QR and uploads their copy to match it reads the
answer at once, not three screens below a page that looks as it did before they sent it."""

import pytest

from naskah import record
from tests.browser import ARTIFACTS, PHONE, assert_fits_phone, screenshot
from tests.naskah.helpers import signed_nota
from workflow.steps import DocKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def signed(people, walk, tmp_path):
    """The signed Nota's verification address and its bytes in a file, made before the browser starts
    (pyHanko signs in an asyncio loop of its own, which Playwright's running loop would refuse)."""
    dossier, _ = signed_nota(people, walk)
    made = record.latest(dossier, DocKind.NOTA_DINAS)
    copy = tmp_path / "nota-dinas.pdf"
    copy.write_bytes(record.served_bytes(made))
    return f"/verifikasi/{made.final_token}/", copy


def test_the_answer_to_an_uploaded_copy_is_on_the_phones_screen(signed, browser, live_server, server_errors):
    from playwright.sync_api import expect

    address, copy = signed
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="id-ID")
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and server_errors.append(f"{r.status} {r.request.method} {r.url}"))
    page.goto(address)
    page.get_by_label("Berkas PDF yang akan dicocokkan").set_input_files(str(copy))
    page.get_by_role("button", name="Cocokkan", exact=True).tap()
    answer = page.locator("#hasil")
    expect(answer).to_contain_text("Asli: berkas ini sama persis dengan naskah final")
    top, bottom = answer.evaluate("e => [e.getBoundingClientRect().top, e.getBoundingClientRect().bottom]")
    assert 0 <= top and bottom <= PHONE["height"], (top, bottom)
    assert_fits_phone(page, "the verification page with its answer")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, "375-verifikasi-cocok.png")
    context.close()
