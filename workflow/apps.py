from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Alur SOP Penetapan IKU"

    def ready(self):
        # A deactivated user's sessions end with the deactivation, however it is done.
        from sop_iku import sessions  # noqa: F401
        from worktime.models import calendar_changed

        calendar_changed.connect(_reschedule, dispatch_uid="workflow.reschedule_open_stays")


def _reschedule(sender, **kwargs):
    # The calendar changed in the admin: every open stay's due moment is worked out again, and the
    # ended stays' working time is marked to be counted again when the report next needs it.
    from workflow import sla

    sla.reschedule_open()
    sla.forget_worked()
