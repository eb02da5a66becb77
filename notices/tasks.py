from django.utils import timezone
from django_tasks import task

from notices import agencies, moves, roles
from notices.handoff import deliver, mail_pending
from notices.models import Notice


@task()
def deliver_handoff(event_id: int) -> int:
    """Off the request path: a slow or absent mail server never slows the click that moved the
    dossier; a failed run can be retried and tells nobody twice."""
    return deliver(event_id)


@task()
def mail_notices(notice_ids: list[int]) -> int:
    """Mail notices recorded with the act itself (a delegation's), off the request path; a retry
    mails only those not yet mailed."""
    return mail_pending(Notice.objects.filter(pk__in=notice_ids), timezone.now())


@task()
def tell_roles_given(pairs: list[list]) -> int:
    """Tell each person given a role what already waits on them in it (notices.roles)."""
    return roles.tell_and_mail(pairs)


@task()
def tell_moved(user_id: int, old_skpd_id: int | None) -> int:
    """Tell an officer moved to another agency whom she acts for now (notices.moves)."""
    return moves.tell_and_mail(user_id, old_skpd_id)


@task()
def tell_agency_switched(skpd_id: int, kind: str, at: int, off: int | None = None) -> int:
    """Tell an agency's officers it was deactivated or activated again (notices.agencies); `off`, when
    an agency activated again had been switched off. Queued without it before it was added: the
    plain reactivation notice."""
    return agencies.tell_and_mail(skpd_id, kind, at, off)
