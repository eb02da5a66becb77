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


def test_a_groups_button_ticks_that_group_alone_and_without_scripts_no_dead_control_shows(
        people, sign_in, browser, live_server):
    from playwright.sync_api import expect

    from tests.browser import signed_in_without_scripts

    with sign_in("kasubag") as page:
        page.goto("/dosier/baru/")
        page.get_by_role("button", name="Kosongkan").click()
        group = page.locator("[data-skpd-group]").first
        group.get_by_role("button", name="pilih kelompok ini").click()
        boxes = page.locator("[data-skpd-group] input[type=checkbox]")
        inside = group.locator("input[type=checkbox]")
        expect(page.locator("[data-skpd-count]")).to_have_text(
            f"{inside.count()} dari {boxes.count()} SKPD dipilih.")
        assert all(box.is_checked() for box in inside.all())
        assert page.locator("[data-skpd-group] input[type=checkbox]:checked").count() == inside.count()

    # Without scripts the search box and the tick-all buttons would do nothing: they are not shown,
    # and the agencies are ticked one by one.
    with signed_in_without_scripts(browser, live_server, "kasubag") as page:
        page.goto("/dosier/baru/")
        expect(page.get_by_label("Cari SKPD")).to_be_hidden()
        expect(page.get_by_role("button", name="Pilih semua")).to_be_hidden()
        expect(page.get_by_role("button", name="pilih kelompok ini")).to_have_count(0)
        expect(page.locator("[data-skpd-group] input[type=checkbox]").first).to_be_visible()
