"""The workshop date the Undangan form proposes is a working day: a week from a Saturday was a
Saturday, which an officer in a hurry sent as it stood. A day off typed over it is refused, as the
letter's deadline is: an invitation sent on 28 December 2026 for a workshop on 1 January 2027
(New Year's Day) went out to every agency."""

import datetime as dt
from unittest import mock

from lib.dates import TZ
from naskah.forms import UndanganForm, first_working_day
from tests.factories import client_for, open_dossier
from tests.naskah.helpers import generate
from workflow.models import Document
from workflow.steps import DocKind
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


def test_a_workshop_typed_for_new_years_day_is_refused_naming_the_next_working_day(people):
    monday = dt.datetime(2026, 12, 28, 9, tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=monday):
        dossier = open_dossier(people, "Penetapan IKU 2027", tahun=2027)
        kasubag = client_for(people, "kasubag")
        page = generate(kasubag, dossier, DocKind.UNDANGAN, tanggal_acara="2027-01-01")
        assert page.status_code == 200
        assert ("Hari acara jatuh pada hari libur (Jumat, 1 Januari 2027: libur nasional: Tahun Baru Masehi); "
                "pilih hari kerja, mis. Senin, 4 Januari 2027.") in page.content.decode()
        assert not Document.objects.filter(dossier=dossier, kind=DocKind.UNDANGAN).exists()
        assert generate(kasubag, dossier, DocKind.UNDANGAN, tanggal_acara="2027-01-04").status_code == 302
