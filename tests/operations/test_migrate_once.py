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
