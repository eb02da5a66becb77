"""Locks held until the transaction that takes them ends, so a decision read after taking one ("the
next version of this letter", "no dossier for this year yet") cannot be made twice at once.

PostgreSQL locks a row (SELECT ... FOR UPDATE) or a pair of numbers (an advisory lock). SQLite has
neither, only one writer at a time: there both take the writer's lock before anything is read, by a
write that changes nothing. Read first, the transaction would see a snapshot that another writer's
commit makes stale, and its own write would then fail as busy instead of waiting.
"""

from django.db import connection


def _inside_transaction():
    if not connection.in_atomic_block:
        raise RuntimeError("Kunci hanya berarti di dalam transaksi.")


def _sqlite_writer(model) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {connection.ops.quote_name(model._meta.pk.column)} = "
                       f"{connection.ops.quote_name(model._meta.pk.column)} WHERE 1 = 0")


def hold_row(model, pk) -> None:
    """Wait for, then hold, the row `pk` of `model` (on SQLite: the database's writer lock)."""
    _inside_transaction()
    if connection.vendor == "sqlite":
        _sqlite_writer(model)
    else:
        model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True).first()


def hold_key(kind: int, key: int, *, model) -> None:
    """Wait for, then hold, the pair (`kind`, `key`): PostgreSQL's advisory lock, which needs no row
    (one that does not exist yet cannot be locked). `kind` says what is locked, so the same `key`
    used elsewhere never meets it; `model` names a table for SQLite's writer lock."""
    _inside_transaction()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, key])
    else:
        _sqlite_writer(model)
