"""A trigram index for the admin's history search (Admin › Riwayat, workflow.admin.dossier), on
PostgreSQL: a search for a word of the events' notes read the whole log (200,000 events: a quarter
to half a second for each of the page's counts and its rows). The expression is the one Django
writes for `icontains` there (UPPER(column::text) LIKE UPPER(...)), so the planner uses it; the
actor's label has its own since 0032, and the planner joins the two (BitmapOr).

pg_trgm is a trusted extension: the owner role that migrates the database it owns may create it
(0032 created it already; asked again for a database that skipped it). On SQLite nothing is made."""

from django.db import migrations

NAME = "riwayat_catatan_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON workflow_auditevent USING gin (UPPER(note::text) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0035_disposition_names_of_record'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
