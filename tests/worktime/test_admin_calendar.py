"""Calendar edits in the admin: a schedule is judged with its weekday rows, as one whole, and the
process's kept calendar only ever holds what was committed (issue 29, item 8)."""

import datetime as dt
import threading

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lib.dates import moment_text
from tests import task_backends
from tests.factories import client_for
from workflow import services, sla
from workflow.actions import Action
from workflow.demo import prepare_step
from workflow.models import StepVisit
from workflow.steps import STEP_BY_NUMBER
from worktime.clock import NoWorkingTime
from worktime.models import CALENDAR_SECONDS, Schedule, SpecialDay, calendar_version, load_calendar

ADD = "/admin/worktime/schedule/add/"
WEEKDAYS = range(5)


def schedule_post(name="Pergub baru 2026", starts="01-12-2026", ends="31-12-2099", weekdays=WEEKDAYS, **more):
    data = {
        "name": name, "starts_on": starts, "ends_on": ends, "basis": "Pergub uji",
        "days-TOTAL_FORMS": str(len(weekdays)), "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000",
    }
    for index, weekday in enumerate(weekdays):
        data |= {f"days-{index}-weekday": str(weekday), f"days-{index}-opens": "07:30",
                 f"days-{index}-closes": "16:00", f"days-{index}-break_starts": "12:00",
                 f"days-{index}-break_ends": "13:00"}
    return data | more


def admin_client(people) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(people["admin"])
    return client


def overrides() -> list[str]:
    return [override.name for override in load_calendar().overrides]


def test_a_long_dated_schedule_saves_with_its_weekdays_and_the_pages_still_render(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)  # an open stay entered today, inside the new schedule
    response = admin_client(people).post(ADD, schedule_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Schedule.objects.get(name="Pergub baru 2026")
    assert sorted(saved.days.values_list("weekday", flat=True)) == list(WEEKDAYS)
    assert overrides() == ["Pergub baru 2026"]
    stay = StepVisit.objects.get(dossier=dossier, left_at__isnull=True)
    assert stay.due_at is not None
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").status_code == 200


def test_a_schedule_without_a_working_day_is_refused_with_a_message_and_nothing_changes(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    before = calendar_version()
    response = admin_client(people).post(ADD, schedule_post(weekdays=()))
    assert response.status_code == 200
    assert "paling sedikit satu hari kerja" in response.content.decode()
    assert not Schedule.objects.filter(name="Pergub baru 2026").exists()
    assert calendar_version() == before and overrides() == []
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").status_code == 200


def test_removing_every_weekday_of_a_schedule_is_refused(people):
    default = Schedule.objects.get(is_default=True)
    rows = list(default.days.all())
    data = {"name": default.name, "is_default": "on", "starts_on": "", "ends_on": "", "basis": "",
            "days-TOTAL_FORMS": str(len(rows)), "days-INITIAL_FORMS": str(len(rows)),
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data |= {f"days-{index}-id": str(row.pk), f"days-{index}-schedule": str(default.pk),
                 f"days-{index}-weekday": str(row.weekday), f"days-{index}-opens": "07:30",
                 f"days-{index}-closes": "16:00", f"days-{index}-DELETE": "on"}
    response = admin_client(people).post(f"/admin/worktime/schedule/{default.pk}/change/", data)
    assert response.status_code == 200
    assert "paling sedikit satu hari kerja" in response.content.decode()
    assert default.days.count() == len(rows)


@pytest.mark.parametrize("starts, ends", [("01-12-2026", "31-12-2206"), ("01-01-1999", "31-01-1999")])
def test_a_schedule_outside_the_years_the_app_knows_is_refused(people, starts, ends):
    response = admin_client(people).post(ADD, schedule_post(starts=starts, ends=ends))
    assert response.status_code == 200
    assert "antara 1-1-2000 dan 31-12-2100" in response.content.decode()
    assert overrides() == []


def failing_after_reading_the_calendar(monkeypatch):
    """The rescheduling reads the calendar the edit makes (inside the edit's transaction), then
    fails, as NoWorkingTime did: the edit is rolled back."""
    real = sla.reschedule_open

    def reschedule_then_fail(calendar=None):
        real(calendar)
        load_calendar()
        raise NoWorkingTime("gagal untuk uji")

    monkeypatch.setattr(sla, "reschedule_open", reschedule_then_fail)


def test_a_rolled_back_edit_leaves_the_kept_calendar_as_committed(people, walk, monkeypatch):
    dossier = walk(STEP_BY_NUMBER[1].state)
    before = calendar_version()
    failing_after_reading_the_calendar(monkeypatch)
    response = admin_client(people).post(ADD, schedule_post(name="Tidak jadi"))
    assert response.status_code == 500
    assert not Schedule.objects.filter(name="Tidak jadi").exists()
    assert overrides() == [] and calendar_version() == before
    monkeypatch.undo()
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").status_code == 200


# serialized_rollback puts back the default schedule and the agencies the migrations seeded.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_and_rolled_back_edits_in_real_transactions(people, walk, monkeypatch):
    """With real commits: a rolled-back edit is never seen, a committed one at once, and another
    thread reading the calendar while the edit is open keeps only what was committed then."""
    dossier = walk(STEP_BY_NUMBER[1].state)
    client = admin_client(people)
    before = calendar_version()

    failing_after_reading_the_calendar(monkeypatch)
    assert client.post(ADD, schedule_post(name="Tidak jadi")).status_code == 500
    assert overrides() == [] and calendar_version() == before
    monkeypatch.undo()

    seen_meanwhile = []
    real = sla.reschedule_open

    def reschedule_while_another_worker_reads(calendar=None):
        reader = threading.Thread(target=lambda: seen_meanwhile.append([o.name for o in load_calendar().overrides]))
        reader.start()
        reader.join()
        return real(calendar)

    monkeypatch.setattr(sla, "reschedule_open", reschedule_while_another_worker_reads)
    assert client.post(ADD, schedule_post()).status_code == 302
    assert seen_meanwhile == [[]]  # the other worker saw (and kept) the committed calendar only
    assert overrides() == ["Pergub baru 2026"]  # and the commit dropped it
    assert load_calendar().day(dt.date(2027, 1, 4)).schedule == "Pergub baru 2026"
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").status_code == 200


def test_deleting_a_long_schedule_in_the_admin_reschedules_once_its_rows_are_all_gone(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    client = admin_client(people)
    assert client.post(ADD, schedule_post()).status_code == 302
    saved = Schedule.objects.get(name="Pergub baru 2026")
    # Django deletes the weekday rows before the schedule: one at a time, the schedule would stand
    # for a while without a working day until 2099.
    response = client.post(f"/admin/worktime/schedule/{saved.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert overrides() == []
    assert client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").status_code == 200


@pytest.mark.parametrize("typed", ["07-12-2206", "01-01-9999", "25-12-1926"])
def test_a_special_day_outside_the_years_the_app_knows_is_refused_at_its_date(people, typed):
    # A year mistyped was saved as the admin's holiday of a year nobody works in (the year meant kept
    # its working day), and the list's own year link to it then opened as a wrong filter.
    response = admin_client(people).post("/admin/worktime/specialday/add/",
                                         {"date": typed, "kind": "libur", "note": "Cuti bersama"})
    assert response.status_code == 200
    assert "Tanggal harus antara 1-1-2000 dan 31-12-2100; periksa tahunnya." in response.content.decode()
    assert not SpecialDay.objects.exists()
    saved = admin_client(people).post("/admin/worktime/specialday/add/",
                                      {"date": "07-12-2026", "kind": "libur", "note": "Cuti bersama"})
    assert saved.status_code == 302 and load_calendar().day(dt.date(2026, 12, 7)).off


def test_a_step_moved_by_a_process_still_keeping_the_old_calendar_is_set_right_once_all_let_it_go(
        people, walk, settings, monkeypatch):
    # Another server process keeps the calendar it read up to CALENDAR_SECONDS: a step it moves just
    # after the admin declared a holiday stores the old calendar's deadline for the new stay. The
    # edit queues the rescheduling again for when every process has let the old calendar go.
    settings.TASKS = task_backends.DATABASE
    dossier = walk(STEP_BY_NUMBER[7].state)
    old = load_calendar()
    stale_due = old.add_waktu(timezone.now(), 30, "menit")  # step 8's Waktu, on the old calendar
    response = admin_client(people).post("/admin/worktime/specialday/add/", {
        "date": timezone.localtime(stale_due).strftime("%d-%m-%Y"), "kind": "libur", "note": "Cuti bersama"})
    assert response.status_code == 302
    (queued,) = DBTaskResult.objects.filter(task_path="workflow.tasks.reschedule_again")
    assert queued.run_after > timezone.now() + dt.timedelta(seconds=CALENDAR_SECONDS)
    with monkeypatch.context() as other_process:
        other_process.setattr(sla, "load_calendar", lambda: old)
        prepare_step(dossier, people)
        dossier.refresh_from_db()
        services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=dossier.revision)
    stay = StepVisit.objects.get(dossier=dossier, left_at__isnull=True)
    # The old calendar's deadline, from when the step began (during office hours a few seconds after
    # `stale_due` was worked out), on the day the admin has just declared off.
    assert stay.due_at == old.add_waktu(stay.entered_at, 30, "menit")
    assert timezone.localdate(stay.due_at) == timezone.localdate(stale_due) and load_calendar().day(
        timezone.localdate(stay.due_at)).off
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    task_backends.work_queue()
    stay.refresh_from_db()
    dossier.refresh_from_db()
    right = load_calendar().add_waktu(stay.entered_at, 30, "menit")
    assert stay.due_at == dossier.due_at == right and not load_calendar().day(timezone.localdate(right)).off
    page = client_for(people, "kabiro").get("/").content.decode()
    assert f"Batas: {moment_text(right)}" in page
