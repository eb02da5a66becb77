"""In Chromium: the time report's year box, after the browser's Back, names the year of the report
under it."""

import pytest

from workflow import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_back_shows_the_year_of_the_report_it_shows(people, sign_in):
    from playwright.sync_api import expect

    demo.open_dossier(people, 2027, "Penetapan IKU 2027")
    demo.open_dossier(people, 2026, "Penetapan IKU 2026")
    with sign_in("kabiro") as page:
        page.goto("/laporan/?tahun=2027")
        page.locator("#tahun").select_option("2026")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.locator("h1")).to_contain_text("tahun 2026")
        page.go_back()
        expect(page.locator("h1")).to_contain_text("tahun 2027")
        # The box said 2026 over the report of 2027 (the browser put back what had been picked).
        expect(page.locator("#tahun")).to_have_value("2027")
