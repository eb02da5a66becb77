from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Alur SOP Penetapan IKU"

    def ready(self):
        from django.contrib import admin

        from workflow.admin.mixins import bound_date_hierarchies, guard_change_pages

        # After the admin's own ready (first in INSTALLED_APPS), which registered every list.
        bound_date_hierarchies(admin.site)
        guard_change_pages(admin.site)
        # A deactivated user's sessions end with the deactivation, however it is done; `manage.py check`
        # tells whoever installs the app what they must set (sop_iku.checks).
        from sop_iku import checks, sessions  # noqa: F401
        from worktime.models import calendar_changed

        calendar_changed.connect(_reschedule, dispatch_uid="workflow.reschedule_open_stays")
        from django.db.models.signals import m2m_changed

        from workflow.models import Dossier

        m2m_changed.connect(_invited, sender=Dossier.invited.through, dispatch_uid="workflow.invitations_waiting")


def _reschedule(sender, **kwargs):
    # The calendar changed in the admin: every open stay's and waiting disposisi's due moment is
    # worked out again, and the ended stays' working time is marked to be counted again when the
    # report next needs it.
    import datetime as dt

    from django.utils import timezone
    from django_tasks import default_task_backend

    from workflow.tasks import reschedule_again, rework
    from worktime.models import CALENDAR_SECONDS

    rework()
    # Other processes keep the old calendar up to CALENDAR_SECONDS, and what they store meanwhile is
    # worked out again once they have all let it go; queued in the edit's transaction, so a
    # rolled-back edit queues nothing. A queue that cannot wait (SOP_TASKS_IMMEDIATE, development
    # without a worker) leaves that minute as it was.
    if default_task_backend.supports_defer:
        later = timezone.now() + dt.timedelta(seconds=CALENDAR_SECONDS + 10)
        reschedule_again.using(run_after=later).enqueue()


def _invited(sender, instance, action, reverse, pk_set, **kwargs):
    # Agencies invited however it is done (the new round, the admin, a script): their invitations
    # store at once whether the round waits on them (`Invitation.waiting`).
    if action == "post_add":
        from workflow import policy

        if reverse:
            policy.mark_waiting(sender.objects.filter(skpd=instance, dossier__in=pk_set))
        else:
            # One dossier: its state in memory answers for all its invitations in plain updates.
            policy.mark_waiting_on(instance)
