"""The meeting the Notulen form offers is one already held: minutes typed after midnight or before a
morning's meeting would be over are of the last working day's, not of a meeting today that has not
happened (and whose minutes could not be signed until it had)."""

import datetime as dt
import re
from unittest import mock

from lib.dates import TZ
from naskah.forms import NotulenForm
from tests.factories import client_for, dossier_at
from workflow.steps import STEP_BY_NUMBER, DocKind

MONDAY_01 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=TZ)


def offered(people, now, opened):
    dossier = dossier_at(people, STEP_BY_NUMBER[2].state, at=opened)
    with mock.patch("django.utils.timezone.now", return_value=now):
        page = client_for(people, "staf").get(f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/")
    assert page.status_code == 200
    return re.search(r'name="tanggal_rapat" value="([^"]+)"', page.content.decode()).group(1)


def test_after_midnight_the_form_offers_the_last_working_days_meeting(people):
    # Monday 01.00: the weekend was no working day; Friday's meeting is the one being written up.
    assert offered(people, MONDAY_01, opened=MONDAY_01 - dt.timedelta(days=10)) == "2026-12-04"


def test_before_a_mornings_meeting_is_over_it_is_yesterdays_and_after_it_todays(db):
    opened = dt.date(2026, 11, 30)
    tuesday = dt.datetime(2026, 12, 8, 10, 59, tzinfo=TZ)
    assert NotulenForm.last_meeting_day(tuesday, opened) == dt.date(2026, 12, 7)
    assert NotulenForm.last_meeting_day(tuesday.replace(hour=11, minute=0), opened) == dt.date(2026, 12, 8)


def test_it_is_never_before_the_round_was_opened(people):
    # Opened on Saturday, typed Monday 01.00: not Friday, which the form would refuse as before the round.
    assert NotulenForm.last_meeting_day(MONDAY_01, dt.date(2026, 12, 5)) == dt.date(2026, 12, 5)
    assert NotulenForm.last_meeting_day(MONDAY_01, dt.date(2026, 12, 7)) == dt.date(2026, 12, 7)
    opened_at_00 = MONDAY_01 - dt.timedelta(minutes=30)
    assert offered(people, MONDAY_01, opened=opened_at_00) == "2026-12-07"
