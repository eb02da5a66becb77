"""In Chromium: the Kasubag opening a round types an agency's everyday abbreviation into the picker's
search box and finds it, named on its box by its short name as before."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_typing_an_abbreviation_finds_the_agency(people, sign_in):
    from playwright.sync_api import expect

    with sign_in("kasubag") as page:
        page.goto("/dosier/baru/")
        page.get_by_label("Cari SKPD").fill("dinkes")
        shown = page.locator("[data-skpd-item]:visible")
        expect(shown).to_have_count(1)
        expect(shown).to_have_text("Dinas Kesehatan")
        page.get_by_label("Cari SKPD").fill("bapp")
        expect(shown).to_have_count(1)
        expect(shown).to_contain_text("Badan Perencanaan Pembangunan Daerah")
