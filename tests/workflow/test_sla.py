"""Each step of a dossier measured against its Waktu, as the inbox, lists and timeline show it."""

import datetime as dt

import pytest

from lib.dates import TZ, moment_text
from workflow import sla
from workflow.models import Dossier, StepVisit
from workflow.steps import DI_GUBERNUR, STEP_BY_NUMBER, state_of
from worktime.clock import Calendar

CALENDAR = Calendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def place(dossier, step: int, entered: str) -> StepVisit:
    """Put the dossier's open visit at `step`, entered at `entered` (Pontianak time)."""
    visit = StepVisit.objects.get(dossier=dossier, left_at__isnull=True)
    visit.state = state_of(step)
    visit.entered_at = at(entered)
    visit.save()
    return visit


def clock_of(dossier, now: str):
    return sla.current_clocks([dossier], now=at(now), calendar=CALENDAR)[dossier.pk]


def test_the_due_moment_is_written_as_people_say_it():
    assert moment_text(at("2026-03-17 10:30")) == "Selasa, 17 Maret 2026 pukul 10.30"
    assert moment_text(dt.datetime(2026, 3, 17, 3, 30, tzinfo=dt.timezone.utc)) == (
        "Selasa, 17 Maret 2026 pukul 10.30"
    )


def test_a_new_dossier_has_two_working_days_for_step_one(dossier):
    place(dossier, 1, "2026-03-12 10:30")  # a Thursday
    clock = clock_of(dossier, "2026-03-12 11:00")
    assert clock.step.number == 1
    assert clock.due_label == "Senin, 16 Maret 2026 pukul 10.30"
    assert (clock.status, clock.status_label, clock.used_label) == ("ok", "Tepat waktu", "30 menit")
    assert clock.waktu_label == "2 hari"
    assert clock.allowed_label == "15 jam"


@pytest.mark.parametrize(
    "now, status, label",
    [
        ("2026-03-09 09:20", "ok", "Tepat waktu"),
        ("2026-03-09 09:25", "near", "Mendekati batas waktu"),  # 25 of 30 minutes: the last fifth
        ("2026-03-09 09:30", "near", "Mendekati batas waktu"),
        ("2026-03-09 09:31", "late", "Terlambat"),
    ],
)
def test_step_eight_has_thirty_minutes(dossier, now, status, label):
    place(dossier, 8, "2026-03-09 09:00")
    clock = clock_of(dossier, now)
    assert (clock.status, clock.status_label) == (status, label)


def test_a_deadline_passed_after_hours_is_late_though_no_working_time_went_by(dossier):
    place(dossier, 8, "2026-03-09 15:30")
    clock = clock_of(dossier, "2026-03-09 20:00")
    assert clock.used == clock.allowed
    assert clock.status == "late"


def test_time_outside_office_hours_does_not_use_up_the_waktu(dossier):
    place(dossier, 7, "2026-03-13 16:00")  # Friday, half an hour before closing
    clock = clock_of(dossier, "2026-03-16 07:45")
    assert clock.used_label == "45 menit"
    assert clock.due_label == "Senin, 16 Maret 2026 pukul 09.00"
    assert clock.status == "ok"


def test_a_returned_step_starts_a_new_clock_and_keeps_the_old_one(walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    clocks = sla.history(dossier, calendar=CALENDAR)
    sixes = [c for c in clocks if c.step.number == 6]
    sevens = [c for c in clocks if c.step.number == 7]
    assert [c.attempt for c in sixes] == [1, 2]
    assert [c.attempt for c in sevens] == [1, 2]
    assert sixes[1].start == sevens[0].end
    assert sixes[1].start > sixes[0].start and sixes[0].end is not None
    assert sevens[1].running and not sevens[0].running
    current = sla.current_clocks([dossier], calendar=CALENDAR)[dossier.pk]
    assert (current.step.number, current.attempt) == (7, 2)


def test_a_finished_step_is_judged_by_when_it_left(dossier):
    visit = place(dossier, 9, "2026-03-09 09:00")
    visit.left_at = at("2026-03-09 09:10")
    visit.save()
    (clock,) = [c for c in sla.history(dossier, calendar=CALENDAR) if c.step.number == 9]
    assert (clock.status, clock.status_label, clock.used_label) == ("ok", "Selesai tepat waktu", "10 menit")
    visit.left_at = at("2026-03-09 10:00")
    visit.save()
    (clock,) = [c for c in sla.history(dossier, calendar=CALENDAR) if c.step.number == 9]
    assert (clock.status, clock.percent) == ("late", 400)


def test_a_dossier_with_the_governor_has_no_step_clock(walk):
    dossier = walk(DI_GUBERNUR)
    (decorated,) = sla.attach([dossier])
    assert decorated.clock is None
    assert len(sla.history(dossier)) == 9


def test_counts_for_the_dashboard(people):
    made = many_dossiers(people, 3)
    StepVisit.objects.filter(dossier=made[0]).update(state=state_of(8), entered_at=at("2026-03-09 09:00"))
    clocks = sla.current_clocks(made, now=at("2026-03-09 09:10"), calendar=CALENDAR)
    assert sla.counts(clocks.values()) == {"ok": 3, "near": 0, "late": 0}
    clocks = sla.current_clocks(made, now=at("2026-03-09 09:40"), calendar=CALENDAR)
    assert sla.counts(clocks.values()) == {"ok": 2, "near": 0, "late": 1}


def many_dossiers(people, n):
    made = Dossier.objects.bulk_create(
        Dossier(tahun=2027, judul=f"Dosier {i}", created_by=people["kasubag"]) for i in range(n)
    )
    StepVisit.objects.bulk_create(
        StepVisit(dossier=d, state=state_of(1 + i % 9), entered_at=at("2026-03-09 08:00")) for i, d in enumerate(made)
    )
    return made


@pytest.mark.parametrize("n", [10, 100])
def test_list_pages_cost_the_same_queries_for_ten_or_a_hundred_dossiers(people, django_assert_num_queries, n):
    many_dossiers(people, n)
    # Calendar (schedules, their hours, admin days) and the visits: four queries whatever n is; then
    # the process keeps the calendar and only the visits are read.
    with django_assert_num_queries(4):
        clocks = sla.current_clocks(Dossier.objects.all(), now=at("2026-03-09 09:00"))
    assert len(clocks) == n
    listed = list(Dossier.objects.all())
    with django_assert_num_queries(1):
        sla.attach(listed, now=at("2026-03-09 09:00"))
    with django_assert_num_queries(1):
        assert len(sla.histories(listed, now=at("2026-03-09 09:00"))) == n
    assert all(d.clock.start == at("2026-03-09 08:00") for d in listed)
