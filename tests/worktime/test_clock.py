"""Worked examples of the working-time clock, each one a case a Kasubag could check on a calendar."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from worktime.clock import PERGUB_2013, Calendar, NoWorkingTime, Override, office_hours, t
from worktime.models import Schedule, SpecialDay, WorkingHours, load_calendar

PERGUB = Calendar()
RAMADAN_WEEK = {
    **{wd: office_hours(t("08:00"), t("15:00"), t("12:00"), t("12:30")) for wd in range(4)},
    4: office_hours(t("08:00"), t("15:30"), t("11:30"), t("12:30")),
}
# Ramadan 1447 H: about 18 February to 19 March 2026.
RAMADAN = Calendar(overrides=[Override("Jam kerja Ramadan 1447 H", dt.date(2026, 2, 18), dt.date(2026, 3, 19),
                                       RAMADAN_WEEK)])


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_a_full_monday_is_seven_and_a_half_hours_without_the_lunch_break():
    assert PERGUB.working_minutes(at("2026-03-09 00:00"), at("2026-03-10 00:00")) == 450
    assert PERGUB.working_minutes(at("2026-03-09 11:00"), at("2026-03-09 13:30")) == 90


def test_friday_has_a_longer_break_and_closes_half_an_hour_later():
    assert PERGUB.working_minutes(at("2026-03-13 11:00"), at("2026-03-13 13:30")) == 60
    assert PERGUB.working_minutes(at("2026-03-13 00:00"), at("2026-03-14 00:00")) == 450
    # Thirty minutes begun at 16.00 fit on a Friday, not on a Thursday.
    assert PERGUB.add_waktu(at("2026-03-13 16:00"), 30, "menit") == at("2026-03-13 16:30+07:00")
    assert PERGUB.add_waktu(at("2026-03-12 16:00"), 30, "menit") == at("2026-03-13 08:00+07:00")
    # One hour begun at 11.00 on Friday crosses Friday prayers and ends at 13.30.
    assert PERGUB.add_waktu(at("2026-03-13 11:00"), 1, "jam") == at("2026-03-13 13:30+07:00")


def test_a_deadline_that_ends_at_closing_time_is_that_closing_time():
    assert PERGUB.add_waktu(at("2026-03-09 07:30"), 1, "hari") == at("2026-03-09 16:00+07:00")


def test_one_day_begun_mid_morning_ends_at_the_same_hour_of_the_next_working_day():
    assert PERGUB.add_waktu(at("2026-03-09 10:00"), 1, "hari") == at("2026-03-10 10:00+07:00")
    # Begun on Friday, it skips the weekend.
    assert PERGUB.add_waktu(at("2026-03-06 10:00"), 2, "hari") == at("2026-03-10 10:00+07:00")


def test_a_step_entered_on_saturday_starts_its_clock_on_monday_morning():
    assert PERGUB.add_waktu(at("2026-03-07 09:00"), 2, "jam") == at("2026-03-09 09:30+07:00")


def test_ramadan_hours_replace_the_weekly_schedule_for_their_dates():
    week = (at("2026-03-02 00:00"), at("2026-03-07 00:00"))
    assert PERGUB.working_minutes(*week) == 5 * 450
    assert RAMADAN.working_minutes(*week) == 5 * 390  # 32.5 hours a week
    assert RAMADAN.add_waktu(at("2026-03-02 14:30"), 1, "jam") == at("2026-03-03 08:30+07:00")
    # "1 hari" is a full day of whichever schedule applies: 6.5 hours in Ramadan.
    assert RAMADAN.add_waktu(at("2026-03-02 08:00"), 1, "hari") == at("2026-03-02 15:00+07:00")
    # Outside the range the Pergub hours hold again.
    assert RAMADAN.working_minutes(at("2026-02-16 00:00"), at("2026-02-17 00:00")) == 0  # cuti bersama Imlek
    assert RAMADAN.working_minutes(at("2026-02-13 00:00"), at("2026-02-14 00:00")) == 450


def test_new_year_is_skipped():
    # Wednesday 31 December 2025 15.00 to Friday 2 January 2026 08.30: one hour on each side.
    assert PERGUB.working_minutes(at("2025-12-31 15:00"), at("2026-01-02 08:30")) == 120
    reasons = dict(PERGUB.explain(at("2025-12-31 15:00"), at("2026-01-02 08:30")).skipped)
    assert reasons == {dt.date(2026, 1, 1): "libur nasional: Tahun Baru Masehi"}


def test_a_whole_year():
    # 2026 has 261 weekdays; 13 public holidays and 8 cuti bersama fall on them: 240 days of 7.5 hours.
    assert PERGUB.working_minutes(at("2026-01-01 00:00"), at("2027-01-01 00:00")) == 240 * 450


def test_cuti_bersama_is_a_day_off_and_says_so():
    assert PERGUB.working_minutes(at("2026-05-15 00:00"), at("2026-05-16 00:00")) == 0
    assert PERGUB.day(dt.date(2026, 5, 15)).off == "cuti bersama: Cuti Bersama Kenaikan Yesus Kristus"


def test_the_seeded_schedule_is_the_pergub_one(db):
    assert load_calendar().week == PERGUB_2013


def test_a_holiday_added_by_an_admin_stops_the_clock(db):
    SpecialDay.objects.create(date=dt.date(2026, 3, 11), kind="libur", note="Pilkada serentak")
    calendar = load_calendar()
    assert calendar.working_minutes(at("2026-03-11 00:00"), at("2026-03-12 00:00")) == 0
    assert calendar.add_waktu(at("2026-03-10 15:00"), 2, "jam") == at("2026-03-12 08:30+07:00")
    assert calendar.day(dt.date(2026, 3, 11)).off == "libur tambahan dari admin: Pilkada serentak"


def test_a_package_holiday_removed_by_an_admin_is_a_working_day(db):
    SpecialDay.objects.create(date=dt.date(2026, 5, 15), kind="masuk", note="SE Gubernur: tetap masuk")
    calendar = load_calendar()
    assert calendar.working_minutes(at("2026-05-15 00:00"), at("2026-05-16 00:00")) == 450
    assert "dibatalkan admin" in calendar.explain(at("2026-05-15 00:00"), at("2026-05-16 00:00")).notes[0][1]


def test_an_admin_ramadan_schedule_is_read_from_the_tables(db):
    ramadan = Schedule.objects.create(name="Ramadan 1447 H", starts_on=dt.date(2026, 2, 18), ends_on=dt.date(2026, 3, 19))
    for hari in range(5):
        WorkingHours.objects.create(schedule=ramadan, weekday=hari, opens=t("08:00"), closes=t("14:00"))
    calendar = load_calendar()
    assert calendar.working_minutes(at("2026-03-02 00:00"), at("2026-03-03 00:00")) == 360
    assert calendar.working_minutes(at("2026-04-06 00:00"), at("2026-04-07 00:00")) == 450


def test_the_admin_cannot_cancel_a_holiday_the_package_does_not_have(db):
    with pytest.raises(ValidationError, match="bukan hari libur"):
        SpecialDay(date=dt.date(2026, 3, 10), kind="masuk", note="x").full_clean()


def test_the_admin_is_told_when_a_break_lies_outside_office_hours(db):
    jadwal = Schedule.objects.get(is_default=True)
    row = WorkingHours(schedule=jadwal, weekday=5, opens=t("08:00"), closes=t("12:00"),
                       break_starts=t("12:30"), break_ends=t("13:00"))
    with pytest.raises(ValidationError, match="Jam istirahat harus di dalam jam kerja"):
        row.full_clean()


def test_dated_schedules_may_not_overlap(db):
    Schedule.objects.create(name="Ramadan", starts_on=dt.date(2026, 2, 18), ends_on=dt.date(2026, 3, 19))
    with pytest.raises(ValidationError, match="bertumpang tindih"):
        Schedule(name="Lain", starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 1)).full_clean()


def test_a_schedule_without_working_days_is_reported_not_looped_on():
    with pytest.raises(NoWorkingTime):
        Calendar(week={}).add_waktu(at("2026-03-09 08:00"), 1, "jam")


def test_the_admin_edits_the_schedule_and_the_days_off(people, client):
    client.force_login(people["admin"])
    jadwal = Schedule.objects.get(is_default=True)
    page = client.get(f"/admin/worktime/schedule/{jadwal.pk}/change/")
    assert page.status_code == 200
    assert "Jam kerja Pergub Kalbar 1/2013" in client.get("/admin/worktime/schedule/").content.decode()
    added = client.post("/admin/worktime/specialday/add/", {
        "date": "2026-03-11", "kind": "libur", "note": "Pilkada serentak",
    })
    assert added.status_code == 302
    listing = client.get("/admin/worktime/specialday/").content.decode()
    assert "Pilkada serentak" in listing
    refused = client.post("/admin/worktime/specialday/add/", {
        "date": "2026-03-10", "kind": "masuk", "note": "x",
    })
    assert "tidak ada libur yang dibatalkan" in refused.content.decode()
    assert load_calendar().working_minutes(at("2026-03-11 00:00"), at("2026-03-12 00:00")) == 0


def test_a_break_over_the_whole_day_makes_it_a_day_off_not_a_day_of_no_minutes():
    # Refused in the admin (worktime.models); a schedule that holds one all the same is counted.
    week = {**PERGUB_2013, 0: office_hours(t("07:30"), t("16:00"), t("07:30"), t("16:00"))}
    assert week[0] == ()
    clock = Calendar(week=week)
    assert clock.add_waktu(at("2026-03-06 15:00"), 1, "hari").date() == dt.date(2026, 3, 10)  # past Monday
    assert "tidak ada jam kerja" in clock.day(dt.date(2026, 3, 9)).off
    assert office_hours(t("07:30"), t("16:00"), t("07:30"), t("08:00")) == ((t("08:00"), t("16:00")),)
