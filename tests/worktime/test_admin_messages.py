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


def change_post(schedule, **more) -> dict:
    """The change page of `schedule` as the browser posts it back, with `more` typed over it."""
    rows = list(schedule.days.all())
    data = {"name": schedule.name, "is_default": "on" if schedule.is_default else "",
            "starts_on": schedule.starts_on.strftime("%d-%m-%Y") if schedule.starts_on else "",
            "ends_on": schedule.ends_on.strftime("%d-%m-%Y") if schedule.ends_on else "", "basis": "",
            "days-TOTAL_FORMS": str(len(rows)), "days-INITIAL_FORMS": str(len(rows)),
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data |= {f"days-{index}-id": str(row.pk), f"days-{index}-schedule": str(schedule.pk),
                 f"days-{index}-weekday": str(row.weekday), f"days-{index}-opens": f"{row.opens:%H:%M}",
                 f"days-{index}-closes": f"{row.closes:%H:%M}",
                 f"days-{index}-break_starts": f"{row.break_starts:%H:%M}" if row.break_starts else "",
                 f"days-{index}-break_ends": f"{row.break_ends:%H:%M}" if row.break_ends else ""}
    return data | {name: str(value) for name, value in more.items()}


@pytest.mark.parametrize(("change", "said"), [
    ({"days-0-break_ends": ""}, "Isi jam istirahat mulai dan selesai keduanya, atau kosongkan keduanya."),
    ({"days-0-break_starts": "07:30", "days-0-break_ends": "16:00", "days-0-opens": "07:30", "days-0-closes": "16:00"},
     "Jam istirahat menutup seluruh jam kerja hari ini."),
    ({"is_default": ""}, "Jadwal yang bukan bawaan wajib diberi tanggal mulai dan sampai."),
])
def test_a_cleared_or_impossible_value_on_the_change_page_is_said_not_a_server_error(people, change, said):
    default = Schedule.objects.get(is_default=True)
    before = [str(row) for row in default.days.all()]
    response = admin_client(people).post(f"/admin/worktime/schedule/{default.pk}/change/", change_post(default, **change))
    assert response.status_code == 200 and said in html.unescape(response.content.decode())
    assert [str(row) for row in Schedule.objects.get(pk=default.pk).days.all()] == before


def test_a_dated_schedule_with_a_date_cleared_is_said_not_a_server_error(people):
    dated = Schedule.objects.create(name="Ramadan 1448 H", starts_on=dt.date(2027, 2, 8), ends_on=dt.date(2027, 3, 9))
    WorkingHours.objects.create(schedule=dated, weekday=0, opens=dt.time(8), closes=dt.time(15))
    response = admin_client(people).post(f"/admin/worktime/schedule/{dated.pk}/change/", change_post(dated, ends_on=""))
    assert response.status_code == 200
    assert "Jadwal yang bukan bawaan wajib diberi tanggal mulai dan sampai." in html.unescape(response.content.decode())
