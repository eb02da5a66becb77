from django.apps import AppConfig


class IkuConfig(AppConfig):
    name = "iku"
    verbose_name = "IKU SKPD"
    default_auto_field = "django.db.models.BigAutoField"
