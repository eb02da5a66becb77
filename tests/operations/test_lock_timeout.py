"""On PostgreSQL a request waits a bounded time for a row another is writing, so its form comes back
whole with "basis data sibuk" (tests/iku/test_grid_kept.py) instead of gunicorn killing the worker
after 60 s with a 502; the task worker waits as long as it takes."""

import pytest
from django.db import connection

from workflow.management.commands.task_worker import wait_for_locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def shown_lock_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


def test_a_request_gives_up_on_a_held_row_well_before_gunicorn_kills_it():
    assert shown_lock_timeout() == "20s"


def test_the_task_worker_waits_for_a_held_row_as_long_as_it_takes():
    wait_for_locks(sender=None, connection=connection)
    try:
        assert shown_lock_timeout() == "0"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert shown_lock_timeout() == "20s"
