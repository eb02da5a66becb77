from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "worktime"
    verbose_name = "Jam kerja"
    default_auto_field = "django.db.models.BigAutoField"
