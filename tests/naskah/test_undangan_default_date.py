"""The workshop date the Undangan form proposes is a working day: a week from a Saturday was a
Saturday, which an officer in a hurry sent as it stood."""

import datetime as dt

from naskah.forms import UndanganForm, first_working_day
from worktime.models import load_calendar


def test_the_proposed_workshop_date_is_the_first_working_day_a_week_ahead(dossier):
    calendar = load_calendar()
    saturday = dt.date(2026, 12, 12)
    assert calendar.day(saturday).off and first_working_day(saturday) == dt.date(2026, 12, 14)
    christmas = dt.date(2026, 12, 25)
    assert calendar.day(christmas).off and not calendar.day(first_working_day(christmas)).off
    monday = dt.date(2026, 12, 14)
    assert first_working_day(monday) == monday
    proposed = UndanganForm.defaults(dossier)["tanggal_acara"]
    assert not calendar.day(proposed).off and proposed >= dt.date.today() + dt.timedelta(days=7)
