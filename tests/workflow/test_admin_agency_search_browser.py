"""In Chromium: the admin adding an agency's officer types the agency's everyday abbreviation into the
user page's SKPD field and picks it from what is found, under the site's security policy (no script
or style from elsewhere, none written into the page)."""

import pytest

from workflow.models import Skpd

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_typing_an_abbreviation_picks_the_agency_on_the_user_page(people, sign_in):
    from playwright.sync_api import expect

    refused = []
    with sign_in("admin") as page:
        page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
        page.goto("/admin/workflow/user/add/")
        page.locator("#id_skpd + .select2").click()
        page.locator(".select2-search__field").fill("dinkes")
        found = page.locator(".select2-results__option")
        expect(found).to_have_count(1)
        expect(found).to_have_text("Dinas Kesehatan")
        found.click()
        expect(page.locator("#id_skpd")).to_have_value(str(Skpd.objects.get(singkatan="Dinkes").pk))
        expect(page.locator("#id_skpd + .select2 .select2-selection__rendered")).to_contain_text("Dinas Kesehatan")
    assert refused == []
