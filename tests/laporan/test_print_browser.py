"""The dashboard and the report printed (Ctrl+P) to hand up: black on white, without the menu, the
year filter and the download links, and saying when the figures were true."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("url", ["/dasbor/", "/laporan/"])
def test_a_printed_page_is_black_on_white_without_the_menu_and_says_when(people, dossier, sign_in, url):
    from playwright.sync_api import expect

    with sign_in("kabiro") as page:
        page.goto(url)
        page.emulate_media(media="print")
        try:
            expect(page.locator("#keadaan")).to_have_text(re.compile(r"^Keadaan per \w+, \d+ \w+ \d{4} pukul \d\d\.\d\d WIB\.$"))
            expect(page.locator("nav.nav")).to_be_hidden()
            expect(page.locator("form.filters")).to_have_count(0 if url == "/dasbor/" else 1)
            if url == "/laporan/":
                expect(page.locator("form.filters")).to_be_hidden()
                expect(page.get_by_role("link", name="Unduh ringkasan (CSV)")).to_be_hidden()
            # The header's name of the bureau, white on a green that paper does not get, prints black.
            header = page.locator("header.top .brand strong")
            expect(header).to_be_visible()
            assert header.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
        finally:
            page.emulate_media(media="screen")
