"""In Chromium on a 375 px phone: the Kabag opens the return page while the worker is still laying out
the draft decree, starts typing his note, and the pages appear in place when the worker is done,
with his note untouched."""

import re

import pytest

from tests.browser import PASSWORD, PHONE, assert_fits_phone, screenshot
from tests.factories import client_for
from tests.naskah.helpers import generate
from tests.task_backends import DATABASE as QUEUE
from tests.task_backends import work_queue
from workflow import demo
from workflow.steps import STEP_BY_NUMBER, DocKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
NOTE = "Lampiran Dinas Sosial belum memuat target 2027; mohon dilengkapi."


@pytest.fixture
def decree_being_remade(people, walk, settings):
    """A dossier at step 7 whose draft decree the worker is to lay out again (the paraf changed it),
    with the queue waiting for a worker."""
    settings.TASKS = QUEUE
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    work_queue()
    demo.finish(dossier, people["kasubag"])  # the paraf changes the decree: its print is made again
    return dossier


def test_the_decree_pages_appear_in_place_and_the_note_being_typed_stays(decree_being_remade, sign_in):
    from playwright.sync_api import expect

    dossier = decree_being_remade

    with sign_in("kabag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        decree = page.locator(f"#tinjau-{DocKind.DRAFT_KEPGUB}")
        expect(decree).to_contain_text("sedang disiapkan")
        # The bar says whose progress it is, not a bare percentage.
        expect(decree.get_by_role("progressbar")).to_have_accessible_name(re.compile(r"^Draft .* sedang disiapkan$"))
        expect(page.locator(f"#tinjau-{DocKind.NOTA_DINAS} img.halaman").first).to_be_visible()
        page.locator("textarea").first.fill(NOTE)
        work_queue()
        expect(decree.locator("img.halaman").first).to_be_visible(timeout=15_000)
        expect(decree).not_to_contain_text("sedang disiapkan")
        expect(page.locator("textarea").first).to_have_value(NOTE)
        assert_fits_phone(page, "the return page with the decree's pages")
        screenshot(page, "decree-ready-in-place-375.png")


def test_a_keyboard_on_the_block_being_prepared_stays_on_it_when_it_is_ready(decree_being_remade, sign_in):
    from playwright.sync_api import expect

    dossier = decree_being_remade

    with sign_in("kabag") as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        decree = page.locator(f"#tinjau-{DocKind.DRAFT_KEPGUB}")
        expect(decree).to_contain_text("sedang disiapkan")
        decree.locator("summary").first.focus()
        work_queue()
        expect(decree.locator("img.halaman").first).to_be_attached(timeout=15_000)
        # Focus did not fall back to the page: it is on the ready block's own summary.
        expect(decree.locator("summary").first).to_be_focused()


def test_a_block_being_prepared_says_the_session_ended_and_the_note_stays(decree_being_remade, sign_in):
    """Signed out in another tab (or idle too long) while the decree was laid out: the block asked how
    far it had come, was answered with the sign-in page, and put that page's first element (an
    invisible <meta>) in the decree's place: the decree vanished from the page, unexplained."""
    from django.conf import settings
    from playwright.sync_api import expect

    dossier = decree_being_remade

    with sign_in("kabag") as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        decree = page.locator(f"#tinjau-{DocKind.DRAFT_KEPGUB}")
        expect(decree).to_contain_text("sedang disiapkan")
        page.locator("textarea").first.fill(NOTE)
        page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
        work_queue()
        expect(decree.get_by_role("status")).to_contain_text("Sesi Anda telah berakhir", timeout=15_000)
        expect(decree.locator("summary")).to_contain_text("Draft Penetapan IKU Provinsi")
        expect(page.locator("textarea").first).to_have_value(NOTE)
        page.get_by_role("button", name="Kembalikan ke Kasubag", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sesi Anda telah berakhir")
        expect(page.get_by_label("Catatan perbaikan")).to_have_value(NOTE)
        page.goto("/masuk/")  # signed in again, for the fixture to sign out
        page.locator("#id_username").fill("kabag")
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
