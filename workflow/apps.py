from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Alur SOP Penetapan IKU"

    def ready(self):
        # A deactivated user's sessions end with the deactivation, however it is done.
        from sop_iku import sessions  # noqa: F401
