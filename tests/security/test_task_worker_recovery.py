"""The task worker's own recovery, in process (workflow/management/commands/task_worker.py): it waits
out an unreachable database with a growing pause, and puts back what was cut off in its name, but
not for ever. tests/security/test_worker_survives_db_restart.py does the same with real processes
on PostgreSQL."""

import logging
import signal
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from notices.tasks import deliver_handoff
from tests import task_backends
from workflow.management.commands import task_worker

QUEUE = task_backends.DATABASE


@pytest.fixture
def worker(settings):
    settings.TASKS = QUEUE
    return task_worker.SteadyWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                                    startup_delay=False, max_tasks=None, worker_id="sop-iku@uji", excluded_queue_names=[])


def left_running(worker_ids):
    result = deliver_handoff.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=worker_ids)
    return result.id


@pytest.mark.django_db
def test_what_was_cut_off_in_its_name_goes_back_but_not_for_ever(worker):
    mine = left_running(["sop-iku@uji"])
    once_elsewhere = left_running(["sop-iku@lain", "sop-iku@uji"])
    too_often = left_running(["sop-iku@uji"] * task_worker.MAX_ATTEMPTS)
    another_workers = left_running(["sop-iku@lain"])
    worker.put_back_cut_off()
    status = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert status[mine] == status[once_elsewhere] == "READY"
    assert status[another_workers] == "RUNNING"
    assert status[too_often] == "FAILED"
    assert "tidak dicoba lagi" in DBTaskResult.objects.get(pk=too_often).traceback


@pytest.mark.django_db
def test_an_unreachable_database_is_waited_out_with_a_growing_pause(worker):
    outage = [OperationalError("server closed the connection unexpectedly")] * 5
    # The test's own connection holds its transaction: it is not closed as a broken one would be.
    with mock.patch.object(db_worker.Worker, "run", side_effect=[*outage, None]) as runs, \
         mock.patch.object(task_worker.time, "sleep") as sleep, mock.patch.object(task_worker, "connections"):
        worker.run()
    assert runs.call_count == 6
    assert [call.args[0] for call in sleep.call_args_list] == [1, 2, 4, 8, 10]


@pytest.mark.django_db
def test_a_wrong_database_password_is_an_error_saying_what_to_check_not_an_outage(worker, caplog):
    refused = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  '
                               'password authentication failed for user "sopiku_app"')
    # A test before that ran the command with verbosity 0 left django-tasks' logger at CRITICAL
    # (db_worker.configure_logging): heard at INFO here, whatever ran before.
    caplog.set_level(logging.INFO, logger=task_worker.logger.name)
    with mock.patch.object(db_worker.Worker, "run", side_effect=[refused, refused, None]), \
         mock.patch.object(task_worker.time, "sleep") as sleep, mock.patch.object(task_worker, "connections"):
        worker.run()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2 and all("kata sandi di DATABASE_URL" in said for said in errors), caplog.text
    assert not [r for r in caplog.records if r.levelname == "WARNING"], caplog.text
    # Tried again, as slowly as an outage at its longest: a password set right in PostgreSQL mends it.
    assert [call.args[0] for call in sleep.call_args_list] == [task_worker.LAST_PAUSE] * 2


# db_worker closes a connection inside a transaction (the test's own on PostgreSQL) between tasks.
# serialized_rollback: a flush without it makes the content types again, and a browser test after it
# on the same worker then fails restoring its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_whose_commit_meets_the_outage_is_run_again_not_failed(worker):
    """What the stack drill's failover did: the primary stopped while a hand-off committed, and the
    task was recorded FAILED on the new primary, its e-mail never sent."""
    result = deliver_handoff.enqueue(0)
    cut = OperationalError("consuming input failed: server closed the connection unexpectedly")
    with mock.patch("notices.tasks.deliver", side_effect=[cut, 3]) as deliver, \
         mock.patch.object(task_worker.time, "sleep") as sleep, mock.patch.object(task_worker, "connections"):
        worker.run()
    done = DBTaskResult.objects.get(pk=result.id)
    assert deliver.call_count == 2
    assert (done.status, done.return_value) == ("SUCCESSFUL", 3)
    assert done.worker_ids == ["sop-iku@uji", "sop-iku@uji"]
    assert sleep.call_count == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_that_breaks_its_connection_every_time_is_failed_after_the_last_attempt(worker):
    result = deliver_handoff.enqueue(0)
    cut = OperationalError("server closed the connection unexpectedly")
    with mock.patch("notices.tasks.deliver", side_effect=cut) as deliver, \
         mock.patch.object(task_worker.time, "sleep"), mock.patch.object(task_worker, "connections"):
        worker.run()
    assert deliver.call_count == task_worker.MAX_ATTEMPTS
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == "FAILED"
    assert "tidak dicoba lagi" in done.traceback


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_any_other_error_of_a_task_is_recorded_failed_at_once(worker):
    result = deliver_handoff.enqueue(0)
    with mock.patch("notices.tasks.deliver", side_effect=ValueError("data rusak")) as deliver:
        worker.run()
    assert deliver.call_count == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_stopped_in_the_middle_is_left_in_its_name_and_done_at_its_next_start(worker):
    """A second Ctrl-C or SIGTERM stops the worker at once (db_worker raises SystemExit in the task):
    the hand-off is not recorded FAILED, its e-mail never sent, but taken up by the next start."""
    result = deliver_handoff.enqueue(0)
    with mock.patch("notices.tasks.deliver", side_effect=[SystemExit(1), 3]) as deliver:
        with pytest.raises(SystemExit):
            worker.run()
        stopped = DBTaskResult.objects.get(pk=result.id)
        assert (stopped.status, stopped.worker_ids) == ("RUNNING", ["sop-iku@uji"])
        task_worker.SteadyWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                                 startup_delay=False, max_tasks=None, worker_id="sop-iku@uji",
                                 excluded_queue_names=[]).run()
    done = DBTaskResult.objects.get(pk=result.id)
    assert deliver.call_count == 2
    assert (done.status, done.return_value, done.worker_ids) == ("SUCCESSFUL", 3, ["sop-iku@uji", "sop-iku@uji"])


def failed(worker_ids, exception="builtins.SystemExit", ago=timedelta(minutes=1)):
    result = deliver_handoff.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(status="FAILED", worker_ids=worker_ids, exception_class_path=exception,
                                                     traceback="SystemExit: 1", finished_at=timezone.now() - ago)
    return result.id


@pytest.mark.django_db
def test_what_an_earlier_release_failed_at_its_stop_in_its_name_goes_back(worker):
    """The previous release's worker recorded FAILED the task its restart stopped in the middle (the
    stack drill's upgrade lost a hand-off e-mail so): this release's worker, started in its place
    under the same name, puts it back; not a real failure, nor another's, nor one long past."""
    stopped = failed(["sop-iku@uji"])
    by_ctrl_c = failed(["sop-iku@uji"], exception="builtins.KeyboardInterrupt")
    real_error = failed(["sop-iku@uji"], exception="builtins.ValueError")
    another_workers = failed(["sop-iku@lain"])
    long_ago = failed(["sop-iku@uji"], ago=task_worker.STOPPED_WITHIN + timedelta(minutes=1))
    too_often = failed(["sop-iku@uji"] * task_worker.MAX_ATTEMPTS)
    worker.put_back_cut_off()
    status = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
    assert status[stopped] == status[by_ctrl_c] == "READY"
    assert status[real_error] == status[another_workers] == status[long_ago] == status[too_often] == "FAILED"
    again = DBTaskResult.objects.get(pk=stopped)
    assert (again.finished_at, again.exception_class_path, again.traceback) == (None, "", "")


def test_the_parents_end_never_makes_the_masters_sigterm_a_second_one(worker):
    """gunicorn's master, stopped, sends its worker SIGTERM, and Linux sends the parent-death signal
    when the master's thread that started the worker ends, in either order: both together ask for
    the stop after the task at hand, as one SIGTERM does. Only a second SIGTERM stops it now."""
    for first, then in ((task_worker.PARENT_ENDED, signal.SIGTERM), (signal.SIGTERM, task_worker.PARENT_ENDED)):
        one = task_worker.SteadyWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                                       startup_delay=False, max_tasks=None, worker_id="sop-iku@uji", excluded_queue_names=[])
        one.running_task = True
        for signum in (first, then):
            (one.stop_after_task if signum == task_worker.PARENT_ENDED else one.shutdown)(signum, None)
        assert one.running is False
        with mock.patch.object(one, "reset_signals"), pytest.raises(SystemExit) as forced:
            one.shutdown(signal.SIGTERM, None)
        assert forced.value.code == 1
    # With no task at hand, the worker stops at once.
    with pytest.raises(SystemExit) as ended:
        worker.stop_after_task(task_worker.PARENT_ENDED, None)
    assert ended.value.code == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_left_big_by_a_task_stops_after_it_and_the_queue_waits_for_its_next_start(worker):
    """A province's decree left the worker at ~750 MB for good: past its limit it stops after the
    task (to be started again by systemd or gunicorn), the next task still queued, not lost."""
    first, second = deliver_handoff.enqueue(0), deliver_handoff.enqueue(0)
    worker.memory_limit_mb = 1
    with mock.patch("notices.tasks.deliver", return_value=3):
        worker.run()
        assert worker.stopped_for_memory
        status = {str(pk): status for pk, status in DBTaskResult.objects.values_list("pk", "status")}
        assert (status[first.id], status[second.id]) == ("SUCCESSFUL", "READY")
        # Under its limit the same worker takes the rest of the queue.
        worker.memory_limit_mb, worker.running = 100_000, True
        worker.run()
    assert DBTaskResult.objects.get(pk=second.id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_service_worker_stops_for_its_memory_but_a_batch_does_all_its_queue(settings):
    """SOP_WORKER_MEMORY_MB reaches the worker as the service runs it (--no-reload, no --batch): with
    a limit every process is past, `manage.py task_worker` returns after one task; `--batch` (tests, commands) empties the queue whatever the limit."""
    settings.TASKS = QUEUE
    settings.SOP_WORKER_MEMORY_MB = 1
    tasks = [deliver_handoff.enqueue(0) for _ in range(3)]
    with mock.patch("notices.tasks.deliver", return_value=3), mock.patch.object(task_worker.Command, "configure_logging"), \
         mock.patch.object(task_worker.SteadyWorker, "configure_signals"):
        # --max-tasks: were the limit not applied, the worker would stop after all three, not run on.
        call_command("task_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05", "--max-tasks", "3",
                     verbosity=0)
        assert [DBTaskResult.objects.get(pk=t.id).status for t in tasks] == ["SUCCESSFUL", "READY", "READY"]
        call_command("task_worker", "--batch", "--no-startup-delay", "--interval", "0.05", verbosity=0)
    assert [DBTaskResult.objects.get(pk=t.id).status for t in tasks] == ["SUCCESSFUL"] * 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_run_in_process_leaves_its_sessions_waiting_for_locks_as_before(settings):
    """The worker's sessions wait for a row as long as it takes; run by call_command it left every
    session the process opened afterwards waiting for ever too, where a page's gives up (settings)."""
    from django.db import connection

    def lock_timeout():
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            return cursor.fetchone()[0]

    settings.TASKS = QUEUE
    before = lock_timeout()
    call_command("task_worker", "--batch", "--no-startup-delay", "--interval", "0.05", verbosity=0)
    assert lock_timeout() == before != "0"
    connection.close()
    assert lock_timeout() == before
