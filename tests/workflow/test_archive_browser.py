"""In Chromium: the archive's filters, after the browser's Back, say what the list under them was
drawn with, not what was typed on the page left."""

import re

import pytest

from workflow import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_back_shows_the_filters_of_the_list_it_shows(people, sign_in):
    from playwright.sync_api import expect

    demo.open_dossier(people, 2027, "Penetapan IKU 2027 kesehatan")
    demo.open_dossier(people, 2026, "Penetapan IKU 2026 kesehatan")
    with sign_in("kasubag") as page:
        page.goto("/arsip/")
        page.locator("#id_q").fill("kesehatan")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page.get_by_text("2 dosier.")).to_be_visible()
        # The year typed and shown, then Back to the list of every year.
        page.locator("#id_tahun").fill("2026")
        page.locator("#id_state").select_option("langkah_1")
        page.get_by_role("button", name="Tampilkan").click()
        expect(page).to_have_url(re.compile(r"tahun=2026"))
        page.go_back()
        expect(page).not_to_have_url(re.compile(r"tahun=2026"))
        expect(page.get_by_text("2 dosier.")).to_be_visible()
        # The box said 2026 over both years' rounds (the browser put back what had been typed).
        expect(page.locator("#id_q")).to_have_value("kesehatan")
        expect(page.locator("#id_tahun")).to_have_value("")
        expect(page.locator("#id_state")).to_have_value("")
