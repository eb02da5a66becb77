from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class OperationsConfig(AppConfig):
    """Running an install: backups and restores, the database role the app runs as, stored files
    no row refers to. No models: it works on the other apps' data (and names the task queue and the
    login lockout in the admin)."""

    name = "operations"
    verbose_name = "Operasional"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks' database queue, named in the admin as the bureau reads it (its own name is
    English and not translatable)."""

    verbose_name = "Antrean tugas latar"


class LoginLockoutConfig(AxesAppConfig):
    """django-axes (failed logins and lockouts), named in the admin as the bureau reads it."""

    verbose_name = "Pembatasan login"
