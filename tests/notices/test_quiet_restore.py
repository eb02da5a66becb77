"""A restore brings back the record of past hand-offs, never the hand-offs themselves: loading the
rows queues no delivery, writes no notice and sends no e-mail, whether the tasks run at once or
wait for the worker, even for a notice whose e-mail had failed before the backup."""


import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from notices.models import Notice
from tests import task_backends
from tests.notices.test_handoff import finish
from tests.task_backends import work_queue
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER

QUEUE = task_backends.DATABASE
IMMEDIATE = task_backends.IMMEDIATE


def notices() -> list:
    rows = Notice.objects.order_by("pk").values_list("pk", "recipient_id", "event_id", "judul", "emailed_at")
    # Django's JSON keeps a moment to the millisecond; a mail sent again would move it by far more.
    return [(*row[:4], row[4] and row[4].replace(microsecond=row[4].microsecond // 1000 * 1000)) for row in rows]


@pytest.mark.parametrize("tasks", [QUEUE, IMMEDIATE], ids=["worker", "at-once"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_tells_nobody_of_past_hand_offs(people, walk, settings, tmp_path, tasks):
    # Several hand-offs, two dossiers, one returned at step 7: every one of them told at the time.
    walk(STEP_BY_NUMBER[6].state, returns=1)
    dossier = walk(STEP_BY_NUMBER[6].state, judul="Dosier kedua")
    # The last hand-off's e-mail failed: its notice waits unsent in the backup.
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    finish(dossier, people, "kasubag")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = notices()
    assert len({event for _, _, event, _, _ in before}) > 10
    assert any(emailed is None for *_, emailed in before), "an unsent notice is in the backup"
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    settings.TASKS = tasks
    mail.outbox = []
    call_command("restore", str(archive))

    assert Dossier.objects.count() == 2 and AuditEvent.objects.exists()
    assert notices() == before
    assert not DBTaskResult.objects.exists(), "nothing queued"
    assert mail.outbox == []
    if tasks is QUEUE:
        work_queue()  # a worker started on the restored install finds nothing to do
        assert notices() == before and mail.outbox == []
