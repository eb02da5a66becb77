from django.apps import AppConfig


class NaskahConfig(AppConfig):
    name = "naskah"
    verbose_name = "Naskah dinas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from naskah import record
        from workflow.services import transition_preparing, transition_recorded

        transition_preparing.connect(record.prepare, dispatch_uid="naskah.sign_ahead")
        transition_recorded.connect(record.on_transition, dispatch_uid="naskah.freeze_signed")
