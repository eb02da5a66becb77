from django.apps import AppConfig


class NaskahConfig(AppConfig):
    name = "naskah"
    verbose_name = "Naskah dinas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from naskah import content, record
        from workflow.services import transition_preparing, transition_recorded

        transition_preparing.connect(record.prepare, dispatch_uid="naskah.sign_ahead")
        transition_recorded.connect(record.on_transition, dispatch_uid="naskah.freeze_signed")
        transition_recorded.connect(content.keep_as_forwarded, dispatch_uid="naskah.keep_forwarded_decree")
