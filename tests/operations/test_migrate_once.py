"""`migrate_once`: app servers started together never migrate twice at once; a second caller waits
for the first's advisory lock and gives up with a message, not a half-applied migration."""

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from operations.management.commands.migrate_once import LOCK_KEY

# Transactional (the lock is another connection's), with the rows the migrations seeded put back
# after: a plain transactional test's flush would make the content types again under new ids, and
# the next serialized_rollback test could not restore its own.


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_migrate_waits_for_the_first_and_then_finds_nothing_to_do(capsys):
    db = connection.settings_dict
    other = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            password=db["PASSWORD"], dbname=db["NAME"], autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])  # another server is migrating
        with pytest.raises(CommandError, match="Migrate lain masih berjalan"):
            call_command("migrate_once", "--wait", "1")
        other.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        call_command("migrate_once", "--wait", "1")
        out = capsys.readouterr().out
        assert "No migrations to apply" in out and "Migrasi selesai" in out
    finally:
        other.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_or_postgresql_it_migrates(capsys):
    call_command("migrate_once")
    assert "No migrations to apply" in capsys.readouterr().out


def lock_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


def _failed(cause):
    from django.db import OperationalError

    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_migration_that_meets_live_writes_gives_way_and_goes_on(capsys):
    """The stack drill's upgrade: migrate chosen as a deadlock's victim beside the previous release's
    writes stopped the upgrade. It now tries again; any other failure still stops it at once."""
    from unittest import mock

    from operations.management.commands import migrate_once

    deadlock = _failed(psycopg.errors.DeadlockDetected("deadlock detected"))
    waited = _failed(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"))
    outcomes, waits = [deadlock, waited, None], []

    def migrate(*args, **kwargs):
        waits.append(lock_timeout())
        if outcomes[0] is not None:
            raise outcomes.pop(0)

    before = lock_timeout()
    with mock.patch.object(migrate_once, "call_command", side_effect=migrate), \
         mock.patch.object(migrate_once.time, "sleep"):
        call_command("migrate_once")
    assert waits == [migrate_once.LOCK_WAIT] * 3
    assert capsys.readouterr().err.count("Migrasi memberi jalan") == 2
    # The session's own wait is back for what it does next.
    assert lock_timeout() == before != migrate_once.LOCK_WAIT

    broken = _failed(psycopg.errors.UndefinedTable('relation "x" does not exist'))
    with mock.patch.object(migrate_once, "call_command", side_effect=[broken, None]) as migrate, \
         pytest.raises(Exception, match="does not exist"):
        call_command("migrate_once")
    assert migrate.call_count == 1
