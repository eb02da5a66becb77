"""In Chromium, on a phone: the Kasubag looking up an agency's rounds in the archive types its everyday
abbreviation into the box before the SKPD filter, which leaves that agency alone in the filter, chosen;
the phone's Search key lists its rounds."""

import re

import pytest

from tests.browser import PHONE, assert_fits_phone
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_typing_an_abbreviation_chooses_the_agency_in_the_archive_filter(people, walk, sign_in):
    from playwright.sync_api import expect

    walk(STEP_BY_NUMBER[3].state, judul="Ronde workshop")
    dinkes = Skpd.objects.get(singkatan="Dinkes")
    with sign_in("kasubag", viewport=PHONE) as page:
        page.goto("/arsip/")
        search, agency = page.get_by_label("Cari SKPD"), page.locator("#id_skpd")
        # Several found: none chosen for the clerk, and Enter does not list every agency's rounds.
        search.fill("dinas")
        expect(page.locator("[data-skpd-found]")).to_contain_text("SKPD cocok: pilih di SKPD.")
        expect(agency).to_have_value("")
        assert agency.locator("option").count() > 2
        page.evaluate("window.notSent = true")
        search.press("Enter")
        search.fill("dinkes")
        expect(agency).to_have_value(str(dinkes.pk))
        expect(agency.locator("option")).to_have_text(["Semua SKPD", "Dinas Kesehatan"])
        expect(page.locator("[data-skpd-found]")).to_have_text("1 SKPD cocok, terpilih.")
        assert_fits_phone(page, "the archive's filter with its agency search")
        # Still the page Enter was pressed on: nothing was sent.
        assert page.evaluate("window.notSent") is True and "?" not in page.url
        # Cleared: every agency is offered again, the choice kept.
        search.fill("")
        expect(agency).to_have_value(str(dinkes.pk))
        assert agency.locator("option").count() == Skpd.objects.count() + 1
        search.fill("dinkes")
        search.press("Enter")
        expect(page).to_have_url(re.compile(rf"skpd={dinkes.pk}"))
        expect(page.get_by_text("1 dosier.")).to_be_visible()
        expect(page.get_by_role("link", name="Ronde workshop")).to_be_visible()


def test_without_scripts_the_search_box_is_not_shown_and_the_filter_works(people, browser, live_server):
    from playwright.sync_api import expect

    from tests.browser import signed_in_without_scripts

    with signed_in_without_scripts(browser, live_server, "kasubag") as page:
        page.goto("/arsip/")
        expect(page.get_by_label("Cari SKPD")).to_be_hidden()
        expect(page.locator("#id_skpd")).to_be_visible()
