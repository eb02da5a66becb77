from django_tasks import task

from notices.handoff import deliver


@task()
def deliver_handoff(event_id: int) -> int:
    """Off the request path: a slow or absent mail server never slows the click that moved the
    dossier; a failed run can be retried and tells nobody twice."""
    return deliver(event_id)
