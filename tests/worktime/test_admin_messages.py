"""Admin › Jadwal jam kerja says what is wrong with a weekday row in Indonesian and once: never a
database constraint's name, never a field's code name."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError

from tests.worktime.test_admin_calendar import ADD, admin_client, schedule_post
from worktime.models import Schedule, WorkingHours


def posted(people, **more) -> str:
    response = admin_client(people).post(ADD, schedule_post(**more))
    assert response.status_code == 200
    assert not Schedule.objects.filter(name="Pergub baru 2026").exists()
    return html.unescape(response.content.decode())


def test_a_break_outside_the_working_hours_is_said_once_in_words(people):
    page = posted(people, **{"days-0-break_starts": "17:00", "days-0-break_ends": "18:00"})
    assert page.count("Jam istirahat harus di dalam jam kerja dan mulai sebelum selesai.") == 1
    assert "istirahat_di_dalam_jam_kerja" not in page and "Batasan" not in page


def test_a_schedule_neither_default_nor_dated_is_told_so_once(people):
    page = posted(people, ends="")
    assert page.count("Jadwal yang bukan bawaan wajib diberi tanggal mulai dan sampai.") == 1
    assert "jadwal_bertanggal_atau_bawaan" not in page and "Batasan" not in page
    assert "Jadwal bawaan tanpa tanggal" not in page


def test_a_weekday_given_twice_is_named_as_the_column_reads(people):
    page = posted(people, weekdays=(0, 0, 1, 2))
    assert "Setiap hari hanya boleh satu baris dalam satu jadwal" in page
    assert "untuk weekday" not in page


@pytest.mark.parametrize(("row", "said"), [
    (dict(opens=dt.time(8), closes=dt.time(16), break_starts=dt.time(17), break_ends=dt.time(18)),
     "Jam istirahat harus di dalam jam kerja dan mulai sebelum selesai."),
    (dict(opens=dt.time(16), closes=dt.time(8)), "Jam pulang harus sesudah jam masuk."),
])
def test_the_constraints_speak_indonesian_wherever_they_are_checked(db, row, said):
    default = Schedule.objects.get(is_default=True)
    with pytest.raises(ValidationError) as refused:
        WorkingHours(schedule=default, weekday=6, **row).validate_constraints()
    assert refused.value.messages == [said]
