from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig

from lib.dates import clock_time, local, long_date


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

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # Axes names its rows in English f-strings with the UTC time ("Attempted Access: 2026-12-06
        # 04:59:46.194439+00:00"), which the page lifting a lockout lists and the admin's recent
        # actions keep.
        AccessAttempt.__str__ = lambda row: f"Upaya masuk “{row.username}” dari {row.ip_address}, {_when(row.attempt_time)}"
        AccessFailureLog.__str__ = lambda row: (f"Gagal masuk “{row.username}” dari {row.ip_address}, {_when(row.attempt_time)}"
                                                + (" (terkunci)" if row.locked_out else ""))
        AccessLog.__str__ = lambda row: f"Masuk “{row.username}” dari {row.ip_address}, {_when(row.attempt_time)}"


def _when(moment) -> str:
    if moment is None:
        return "-"
    moment = local(moment)
    return f"{long_date(moment.date())} {clock_time(moment)}"
