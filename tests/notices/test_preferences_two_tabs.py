"""Notice preferences open in two tabs: the one saved second no longer turns back on what the other
turned off; it says what changed and keeps its own ticks."""

import re

from notices.models import NoticePreference
from tests.factories import client_for


def _as_sent(page: str, **ticks) -> dict:
    """The form as the browser sends it from `page`: its hidden fields, and the boxes ticked."""
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden | {name: "on" for name, on in ticks.items() if on}


def test_email_switched_off_in_one_tab_stays_off_when_the_other_saves(people):
    first, second = client_for(people, "staf"), client_for(people, "staf")
    url = "/pemberitahuan/pilihan/"
    page_one, page_two = first.get(url).content.decode(), second.get(url).content.decode()
    # The first tab turns e-mail off.
    assert first.post(url, _as_sent(page_one, by_email=False, in_app=True)).status_code == 302
    # The second, opened before that, turns the list off and leaves e-mail ticked as it loaded it.
    response = second.post(url, _as_sent(page_two, by_email=True, in_app=False))
    assert response.status_code == 200
    page = response.content.decode()
    assert "diubah dari halaman lain" in page and "“Kirim lewat surel”: tidak" in page
    preference = NoticePreference.objects.get(user=people["staf"])
    assert not preference.by_email and preference.in_app
    # What the second tab ticked is still ticked on the page: e-mail on, the list off.
    assert re.search(r'name="by_email"[^>]*checked', page) and not re.search(r'name="in_app"[^>]*checked', page)
    # Sent again from there, knowingly, it is saved.
    assert second.post(url, _as_sent(page, by_email=True, in_app=False)).status_code == 302
    preference.refresh_from_db()
    assert preference.by_email and not preference.in_app
