from django_tasks import default_task_backend, task

from webhooks.delivery import attempt
from webhooks.models import Delivery

# Their own queue, which `manage.py task_worker` works in a thread of its own: a receiver taking its
# whole timeout must not hold up the hand-off e-mails and the documents queued behind it.
QUEUE = "webhooks"


@task(queue_name=QUEUE)
def deliver(delivery_id: int) -> str:
    """Off the request: try the delivery; a failure queues the next try at its moment, where the
    queue can wait (the database queue can; elsewhere `manage.py send_webhooks` sends what is due)."""
    delivery = attempt(delivery_id)
    if delivery.status == Delivery.Status.PENDING and default_task_backend.supports_defer:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status
