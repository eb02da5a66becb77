"""What an operator reads in the journal from our commands and the task worker is Indonesian: a refused
command printed Django's "CommandError: ...", and the worker said "Starting worker", "Received
Terminated - stopping after the task at hand", "Task id=... was cut off while running"."""

import logging
import signal
from unittest import mock

import pytest
from django.core.management import call_command

from tests import task_backends
from workflow.management.commands import task_worker

ENGLISH = ("CommandError", "Starting", "Received", "stopping", "gracefully", "exiting", "Task id", "put back",
           "Terminated", "tries again", "unreachable")


@pytest.fixture
def lines(caplog):
    # A test before may have left the worker's logger at CRITICAL (db_worker's verbosity 0).
    caplog.set_level(logging.INFO, logger=task_worker.logger.name)
    return lambda: [record.getMessage() for record in caplog.records if record.name == task_worker.logger.name]


def english_free(said: str):
    assert not [word for word in ENGLISH if word in said], said


def test_a_refused_command_says_kesalahan_not_commanderror(capsys, db):
    from worktime.management.commands.working_time import Command

    with pytest.raises(SystemExit) as ended:
        Command().run_from_argv(["manage.py", "working_time", "2026-03-25T09:00", "2026-03-17T10:30"])
    assert ended.value.code == 2
    assert capsys.readouterr().err == "Kesalahan: SELESAI lebih awal daripada MULAI; tukar urutannya.\n"


def test_the_task_workers_refusal_says_kesalahan(capsys, settings, db):
    settings.TASKS = task_backends.DATABASE
    with pytest.raises(SystemExit) as ended:
        task_worker.Command().run_from_argv(["manage.py", "task_worker", "--queue-name", "default",
                                             "--exclude-queues", "webhooks"])
    assert ended.value.code == 2
    said = capsys.readouterr().err
    assert said.startswith("Kesalahan: --exclude-queues hanya dapat dipakai bersama --queue-name='*'"), said


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_says_its_start_and_its_end_in_indonesian(settings, lines):
    settings.TASKS = task_backends.DATABASE
    call_command("task_worker", "--batch", "--no-startup-delay", "--queue-name", "default", "--worker-id", "sop-iku@uji")
    said = lines()
    assert said == ["Pekerja tugas mulai: worker_id=sop-iku@uji antrean=default",
                    "Tidak ada tugas lagi untuk worker_id=sop-iku@uji; berhenti.",
                    "Pekerja tugas worker_id=sop-iku@uji berhenti."], said


def test_a_stop_asked_by_signal_is_said_in_indonesian(lines):
    worker = task_worker.SteadyWorker(queue_names=["default"], interval=0, batch=False, backend_name="default",
                                      startup_delay=False, max_tasks=None, worker_id="sop-iku@uji",
                                      excluded_queue_names=[])
    worker.running_task = True
    worker.shutdown(signal.SIGTERM, None)
    with mock.patch.object(worker, "reset_signals"), pytest.raises(SystemExit):
        worker.shutdown(signal.SIGINT, None)
    said = lines()
    assert said == ["SIGTERM diterima: pekerja berhenti setelah tugas yang sedang dikerjakan selesai.",
                    "SIGINT diterima lagi: tugas yang sedang dikerjakan dihentikan sekarang."], said


@pytest.mark.django_db
def test_what_the_worker_puts_back_is_said_in_indonesian(settings, lines):
    from django_tasks_db.models import DBTaskResult

    from notices.tasks import deliver_handoff

    settings.TASKS = task_backends.DATABASE
    cut_off = deliver_handoff.enqueue(0)
    DBTaskResult.objects.filter(pk=cut_off.id).update(status="RUNNING", worker_ids=["sop-iku@uji"])
    worker = task_worker.SteadyWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                                      startup_delay=False, max_tasks=None, worker_id="sop-iku@uji",
                                      excluded_queue_names=[])
    worker.put_back_cut_off()
    assert lines() == [f"Tugas id={cut_off.id} terputus ketika berjalan; dikembalikan ke antrean."]
    english_free(" ".join(lines()))


def test_every_command_of_ours_says_its_refusals_and_arguments_in_indonesian():
    """Each command the project ships (not Django's or a library's) speaks to the operator in Indonesian:
    the BSrE stand-in alone still printed "CommandError: ..." and Django's English usage."""
    from django.conf import settings as django_settings
    from django.core.management import get_commands, load_command_class

    from lib.commands import IndonesianArguments

    ours = {name: app for name, app in get_commands().items()
            if app in django_settings.INSTALLED_APPS and not app.startswith(("django", "axes", "csp", "django_tasks",
                                                                             "rest_framework", "drf_spectacular"))}
    assert {"bsre_standin", "backup", "task_worker", "working_time"} <= set(ours)
    english = sorted(name for name, app in ours.items()
                     if not isinstance(load_command_class(app, name), IndonesianArguments))
    assert english == []
