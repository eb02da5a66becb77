"""The two ways tests run the app's tasks, over the app's own queues: at once in the request (as
SOP_TASKS_IMMEDIATE), or queued in the database for the worker."""

from django.conf import settings

QUEUES = settings.TASKS["default"]["QUEUES"]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": QUEUES}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": QUEUES}}


def work_queue():
    """`manage.py db_worker` over every queue until all are empty, in the test's thread and on its
    connection: the worker drops a connection found inside a transaction, as a test's is, which on
    PostgreSQL would end the test's own."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
