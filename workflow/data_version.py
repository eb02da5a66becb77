"""The data version: one number the database moves itself whenever the bureau's data changes, so a
list page may keep what it worked out (`kept`) and read it again only once the number moves.

The database moves it, by a trigger on every table the pages read, not the app: a transition, an
agency's IKU, the admin, a queryset's update(), a restored backup and a console all move it alike.
On PostgreSQL the trigger runs at commit (a deferred constraint trigger), once per transaction: the
one row is locked only while a transaction commits, when it holds every other lock it will take,
so writers never wait on each other in a cycle. The new number becomes visible with the data it
stands for; a page that read the number before it works from data at least that new.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

APPS = ("workflow", "worktime", "iku", "naskah")
# Read by no kept page, and written on their own schedule (reminders, digests, render jobs) or
# beside a table that moves the number already (the audit chain's head, with each audit event):
# moving it for them would only make every page work everything out again.
UNREAD_TABLES = {"workflow_dataversion", "workflow_auditchainhead", "workflow_remindersent",
                 "workflow_digestsent", "iku_ikureminder", "workflow_user_groups",
                 "workflow_user_user_permissions", "naskah_renderjob"}
# Signing in writes last_login; a password change changes nothing a page shows.
UNREAD_COLUMNS = {"workflow_user": {"last_login", "password"}}
TRIGGER = "data_version"
FUNCTION = "sopiku_move_data_version"
# How long a kept page may be read again: one showing working-time clocks for a minute (they move
# on by the minute), one showing only what the data says until an hour has passed (to free it).
SHOWING_CLOCKS = 60
SHOWING_DATA = 3600


def tables(existing=None, columns_of=None) -> dict[str, list[str] | None]:
    """Each table that moves the version -> the columns whose update does (None: any column);
    given the database's `existing` tables and `columns_of(table)`, only what it has now."""
    found = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in UNREAD_TABLES or (existing is not None and table not in existing):
                continue
            unread = UNREAD_COLUMNS.get(table)
            if unread is None:
                found[table] = None
                continue
            present = columns_of(table) if columns_of else None
            found[table] = sorted(f.column for f in model._meta.local_concrete_fields
                                  if f.column not in unread and (present is None or f.column in present))
    return found


def install(using=None, **kwargs):
    """(Re)create the triggers after every migrate and flush (post_migrate), on the tables the
    database has then, so a new table is never left out; none while the version's own table is
    missing (a database migrated back before it)."""
    db = connections[using or DEFAULT_DB_ALIAS]
    with db.cursor() as cursor:
        existing = set(db.introspection.table_names(cursor))
        if "workflow_dataversion" not in existing:
            return
        found = tables(existing, lambda table: {c.name for c in db.introspection.get_table_description(cursor, table)})
        for sql in (_postgresql if db.vendor == "postgresql" else _sqlite)(found, db.ops.quote_name):
            cursor.execute(sql)


def uninstall(schema_editor):
    """Drop every trigger that moves the version (migrating back before its table)."""
    db = schema_editor.connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER + "_%"])
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {db.ops.quote_name(name)}")


def _postgresql(found, quote):
    # statement_timestamp() marks the statement that moved it: at commit every deferred row event
    # shares the COMMIT's, so a transaction moves it once, however many rows it wrote.
    yield f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('sopiku.data_version_moved', true) IS DISTINCT FROM statement_timestamp()::text THEN
            INSERT INTO workflow_dataversion (id, value) VALUES (1, 1)
              ON CONFLICT (id) DO UPDATE SET value = workflow_dataversion.value + 1;
            PERFORM set_config('sopiku.data_version_moved', statement_timestamp()::text, true);
          END IF;
          RETURN NULL;
        END $$"""
    for table, columns in found.items():
        update = "UPDATE" if columns is None else "UPDATE OF " + ", ".join(quote(c) for c in columns)
        yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}"
        yield (f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE ON {quote(table)} "
               f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()")


def _sqlite(found, quote):
    # SQLite has one writer at a time and no deferred triggers: each row moves it at once.
    move = ("INSERT INTO workflow_dataversion (id, value) VALUES (1, 1) "
            "ON CONFLICT (id) DO UPDATE SET value = value + 1;")
    for table, columns in found.items():
        update = "UPDATE" if columns is None else "UPDATE OF " + ", ".join(quote(c) for c in columns)
        for event, name in (("INSERT", "insert"), (update, "update"), ("DELETE", "delete")):
            trigger = quote(f"{TRIGGER}_{table}_{name}")
            yield f"DROP TRIGGER IF EXISTS {trigger}"
            yield f"CREATE TRIGGER {trigger} AFTER {event} ON {quote(table)} BEGIN {move} END"


def current(user=None) -> int:
    """The version now; the signed-in user brings it in their own query (`workflow.auth`)."""
    found = getattr(user, "data_version", None)
    if found is None:
        found = apps.get_model("workflow", "DataVersion").objects.filter(pk=1).values_list("value", flat=True).first()
    return found or 0


def kept(user, name: str, parts, work, *, seconds: int):
    """What `work()` returns for `user` and `parts`, kept until the data version moves, the day
    changes (a delegation starts or ends) or `seconds` pass (the clocks it shows move on)."""
    if not settings.SOP_KEEP_PAGES:
        return work()
    fingerprint = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"kept:{name}:{user.pk}:{current(user)}:{timezone.localdate().isoformat()}:{fingerprint}"
    found = cache.get(key)
    if found is None:
        found = work()
        cache.set(key, found, seconds)
    return found


def run_at_once():
    """Tests write and read in one transaction that never commits: there the number moves at each
    statement, as SQLite's does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")
