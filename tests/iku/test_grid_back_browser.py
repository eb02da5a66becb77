"""In Chromium: an agency's IKU grid sent when the server never answers (HAProxy's page
deploy/sop-iku-502.http: the app server restarted under the request) is all there after the
browser's Back, as that page promises, rows a paste added included, and is then sent as typed.
Signing out leaves nothing kept in the tab."""

import re
from pathlib import Path

import pytest

from iku.models import IkuSubmission
from tests.iku.test_grid_browser import paste
from workflow.steps import IkuStage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROXY_PAGE = (Path(__file__).resolve().parents[2] / "deploy" / "sop-iku-502.http").read_text().split("\n\n", 1)[1]
ROWS = "\n".join(f"Sasaran {n}\tIndikator nomor {n}\tPenjelasan {n}\tRumus {n}\tpersen\t{n},5\tLaporan\tBidang {n}"
                 for n in range(1, 31))
NOTE = "Catatan Dinas Kesehatan untuk Biro Kesra:\nbaris 30 ditambahkan setelah rapat bidang."


def send_unanswered(page, button="Isi dan kirim IKU"):
    """Press `button` while the app server is gone: the proxy answers its 502 page."""
    from playwright.sync_api import expect

    def proxy(route):
        if route.request.method == "POST":
            route.fulfill(status=502, body=PROXY_PAGE, content_type="text/html; charset=utf-8")
        else:
            route.continue_()

    page.route("**/aksi/ajukan_iku/", proxy)
    try:
        page.get_by_role("button", name=button, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Server berhenti sebelum menjawab")
    finally:
        page.unroute("**/aksi/ajukan_iku/")


def test_a_grid_sent_when_the_server_never_answered_is_whole_after_back_and_is_sent_as_typed(
        blank_konsep, sign_in, server_errors):
    from playwright.sync_api import expect

    dossier = blank_konsep
    with sign_in("dinkes") as page:
        page.goto(dossier.grid_url)
        paste(page, "[name='r-1-sasaran_strategis']", ROWS)
        expect(page.locator("tr.iku-row")).to_have_count(30)
        page.locator("#id_catatan").fill(NOTE)
        send_unanswered(page)
        server_errors.remove(f"502 POST {page.url}")
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text("Isi dan kirim IKU")
        expect(page.locator("tr.iku-row")).to_have_count(30)
        expect(page.locator("[name='r-30-indikator']")).to_have_value("Indikator nomor 30")
        expect(page.locator("[name='r-30-target']")).to_have_value("30,5")
        expect(page.locator("#id_catatan")).to_have_value(NOTE)
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("30 indikator (versi 1)")
    sent = IkuSubmission.objects.get(dossier=dossier, stage=IkuStage.KONSEP)
    assert [row.indikator for row in sent.rows.all()] == [f"Indikator nomor {n}" for n in range(1, 31)]
    assert sent.catatan == NOTE.replace("\n", "\r\n")


def test_signing_out_leaves_nothing_of_the_grid_kept_in_the_tab(blank_konsep, sign_in, server_errors):
    def kept(page):
        return page.evaluate("Object.keys(sessionStorage).filter(key => key.startsWith('sop-iku-isian:')).length")

    dossier = blank_konsep
    with sign_in("dinkes") as page:
        page.goto(dossier.grid_url)
        paste(page, "[name='r-1-sasaran_strategis']", ROWS)
        send_unanswered(page)
        server_errors.remove(f"502 POST {page.url}")
        page.goto("/")
        assert kept(page) == 1
    # The fixture signed out with "Keluar" on the inbox.
    assert kept(page) == 0


def test_a_grid_sent_after_the_session_ended_is_whole_again_once_signed_in_from_back(blank_konsep, sign_in):
    """The session ended while the table was typed: the page that says so gives it back as one block
    to copy; Back then leads to the sign-in page, and signing in brings the grid with every row."""
    from django.conf import settings
    from playwright.sync_api import expect

    from tests.browser import PASSWORD

    dossier = blank_konsep
    with sign_in("dinkes") as page:
        page.goto(dossier.grid_url)
        paste(page, "[name='r-1-sasaran_strategis']", ROWS)
        page.locator("#id_catatan").fill(NOTE)
        page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sesi Anda telah berakhir")
        page.go_back()
        expect(page).to_have_url(re.compile(r"/masuk/\?next="))
        page.locator("#id_username").fill("dinkes")
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Isi dan kirim IKU")
        expect(page.locator("tr.iku-row")).to_have_count(30)
        expect(page.locator("[name='r-30-indikator']")).to_have_value("Indikator nomor 30")
        expect(page.locator("#id_catatan")).to_have_value(NOTE)
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("30 indikator (versi 1)")
