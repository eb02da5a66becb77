from django_tasks import task

from workflow import dispositions, sla
from worktime.models import forget_calendar


def rework() -> int:
    """Work every open stay's and waiting disposisi's due moment out again from the calendar, and
    mark the ended stays' working time to be counted again when the report next needs it."""
    moved = sla.reschedule_open()
    sla.forget_worked()
    dispositions.reschedule_open()
    return moved


@task()
def reschedule_again() -> int:
    """`rework` once more, after a calendar edit, when every process has let go of the calendar it
    kept from before: a step moved meanwhile in another server process stored the old calendar's
    deadline for its new stay (and the old working time for the one it ended), which nothing else
    would correct."""
    forget_calendar()
    return rework()


@task()
def mail_password_link(link_id: int) -> bool:
    """Off the request path: a slow or absent mail server never slows the admin's click or the
    sign-in page; a retry mails nobody twice (workflow.password_links)."""
    from workflow.password_links import mail_link

    return mail_link(link_id)
