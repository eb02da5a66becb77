from django.apps import AppConfig


class NaskahConfig(AppConfig):
    name = "naskah"
    verbose_name = "Naskah dinas"
    default_auto_field = "django.db.models.BigAutoField"
