"""Each dossier names who acted on it, as its log wrote them (`Dossier.pelaku`,
workflow.audit.actors), filled here from the log: the archive's search for a name reads it there."""

from django.db import migrations, models

from workflow.audit import actors


def fill(apps, schema_editor):
    actors.fill(apps.get_model("workflow", "Dossier").objects, apps.get_model("workflow", "AuditEvent").objects)


# On PostgreSQL, as the search's other name indexes (0032): a name found in a few rounds is read from
# the index, not from every round's row. SQLite reads its few hundred rounds whole.
INDEX = "dosier_pelaku_trgm"


def index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON workflow_dossier USING gin (UPPER(pelaku) gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0039_skpd_nonaktif_sejak'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='pelaku',
            field=models.TextField(blank=True, db_default='', default='', editable=False, max_length=210301, verbose_name='pelaku menurut riwayat'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, drop_index),
    ]
