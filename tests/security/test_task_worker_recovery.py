"""The task worker's own recovery, in process (workflow/management/commands/task_worker.py): it waits
out an unreachable database with a growing pause, and puts back what was cut off in its name, but
not for ever. tests/security/test_worker_survives_db_restart.py does the same with real processes
on PostgreSQL."""

from unittest import mock

import pytest
from django.db import OperationalError
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
