"""Cuti bersama are set each year by a joint decree; the installed `holidays` package knows them only
for the years it was released for (2027 but not 2028 in the version locked today). A year without any
counted its cuti bersama as working days in every deadline, and nothing said so."""

import datetime as dt
from unittest import mock

from tests.factories import client_for
from tests.worktime.test_admin_calendar import admin_client
from worktime.clock import CUTI_BERSAMA, package_days
from worktime.models import SpecialDay, forget_calendar

# A year the installed package knows no cuti bersama for, and its October.
YEAR = next(year for year in range(2028, 2100)
            if not any(kind == CUTI_BERSAMA for kind, _ in package_days(year).values()))
OCTOBER = dt.date(YEAR - 1, 10, 1)
WARNED = f"belum memuat cuti bersama tahun {YEAR}"


def seen(client, path, today):
    forget_calendar()
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        return client.get(path).content.decode()


def test_the_admin_and_the_bureau_are_told_next_years_cuti_bersama_are_missing_until_a_day_is_added(people):
    admin, kabiro = admin_client(people), client_for(people, "kabiro")
    assert WARNED in seen(admin, "/admin/worktime/specialday/", OCTOBER)
    assert WARNED in seen(kabiro, "/dasbor/", OCTOBER)
    # In the first months of the year before, next year's deadlines are not counted yet.
    assert WARNED not in seen(kabiro, "/dasbor/", dt.date(YEAR - 1, 3, 1))
    SpecialDay.objects.create(date=dt.date(YEAR, 12, 24), kind=SpecialDay.Kind.LIBUR, note="SKB cuti bersama")
    assert WARNED not in seen(admin, "/admin/worktime/specialday/", OCTOBER)
    assert WARNED not in seen(kabiro, "/dasbor/", OCTOBER)


def test_a_year_the_package_knows_is_not_warned_of(people):
    known = next(year for year in range(2024, 2100)
                 if any(kind == CUTI_BERSAMA for kind, _ in package_days(year).values()))
    assert "belum memuat cuti bersama" not in seen(client_for(people, "kabiro"), "/dasbor/", dt.date(known, 5, 1))
