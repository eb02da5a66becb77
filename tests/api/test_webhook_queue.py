"""A webhook receiver that takes its time (an organisation's server behind a slow link, or one that
answers only at its timeout) holds up no hand-off e-mail: `manage.py task_worker` works the webhooks'
queue in a thread of its own (workflow/management/commands/task_worker.py)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.backends.signals import connection_created
from django_tasks_db.models import DBTaskResult

from tests import factories, task_backends
from tests.api.receiver import Receiver
from webhooks.models import Delivery, Event, Webhook
from webhooks.tasks import QUEUE, deliver
from workflow import services
from workflow.actions import Action
from workflow.management.commands.task_worker import wait_for_locks
from workflow.steps import STEP_BY_NUMBER


@pytest.fixture(autouse=True)
def worker_left_behind():
    """`task_worker` run in this process sets every later connection's lock wait to none, as a
    worker's process should (wait_for_locks): not the rest of the suite's, whose pages wait 20 s."""
    yield
    connection_created.disconnect(wait_for_locks)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hand_off_mail_queued_behind_a_slow_receivers_delivery_goes_before_it_answers(settings, people,
                                                                                       racing_database):
    # The worker's two threads write at once (one claims its next task while the other records the
    # delivery's answer): on the file every install runs, not the shared memory one, where the second
    # writer is refused at once ("database schema is locked") and the delivery failed now and then.
    settings.TASKS = task_backends.DATABASE
    dossier = factories.dossier_at(people, STEP_BY_NUMBER[1].state)
    factories.prepare_step(dossier, people)
    dossier.refresh_from_db()
    # It answers only once the hand-off is mailed: one worker taking both in turn would wait on it
    # until its timeout, and the delivery would fail.
    with Receiver(answer_once=lambda: bool(mail.outbox)) as slow:
        # Queued first: a worker taking one task at a time would wait on it before the mail.
        hook = Webhook.objects.create(nama="Penerima lambat", url=slow.url, events=[Event.IKU_SENT])
        waiting = Delivery.objects.create(webhook=hook, event=Event.IKU_SENT, body="{}")
        deliver.enqueue(waiting.pk)
        mail.outbox.clear()
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
        call_command("task_worker", "--batch", "--no-startup-delay", "--interval", "0.05", verbosity=0)
    assert mail.outbox, "the hand-off was mailed"
    waiting.refresh_from_db()
    assert waiting.status == Delivery.Status.DELIVERED and len(slow.answered) == 1
    assert DBTaskResult.objects.get(task_path="webhooks.tasks.deliver").queue_name == QUEUE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_given_its_queues_takes_only_those(settings):
    settings.TASKS = task_backends.DATABASE
    with Receiver() as receiver:
        hook = Webhook.objects.create(nama="Penerima", url=receiver.url, events=[Event.IKU_SENT])
        waiting = Delivery.objects.create(webhook=hook, event=Event.IKU_SENT, body="{}")
        deliver.enqueue(waiting.pk)
        call_command("task_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)
        assert not receiver.received
        # The operator who runs the webhooks as a service of their own names that queue.
        call_command("task_worker", "--batch", "--no-startup-delay", "--queue-name", QUEUE, verbosity=0)
    waiting.refresh_from_db()
    assert len(receiver.received) == 1 and waiting.status == Delivery.Status.DELIVERED
