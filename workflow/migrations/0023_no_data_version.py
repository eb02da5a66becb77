"""The data version goes (pages are fast by their own work): its triggers, their function and its
table. Migrating back recreates the table; the code of that time reinstalls the triggers."""

from django.db import migrations

TRIGGER = "data_version"
FUNCTION = "sopiku_move_data_version"


def drop_triggers(apps, schema_editor):
    db = schema_editor.connection
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [TRIGGER])
            for (table,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER + "_%"])
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {db.ops.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0022_audit_seal")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="DataVersion"),
    ]
