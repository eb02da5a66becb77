"""Trigram indexes for the archive's search (workflow.views.pages._matching), on PostgreSQL: a search
for a person's name reads the audit log's actor labels, one for an agency's name the names a
forwarded round kept, and one for a word the documents' notes and file names. Without them each
search read the whole log and every invitation (at 10,000 dossiers, 200,000 events and 400,000
invitations: 250-550 ms a page, a third of it spent compiling the plan). The expressions are those
Django writes for `icontains` there (UPPER(column::text) LIKE UPPER(...)), so the planner uses them.

pg_trgm is a trusted extension: the owner role that migrates the database it owns may create it. On
SQLite (one machine, a few hundred dossiers) nothing is made: it reads its tables whole quickly."""

from django.db import migrations

INDEXES = {
    "riwayat_pelaku_trgm": "workflow_auditevent USING gin (UPPER(actor_label::text) gin_trgm_ops)",
    # Only a forwarded round's invitations keep names (InvitationQuerySet.keep_names): the rest stay out.
    "undangan_nama_tercatat_trgm": (
        "workflow_dossier_invited USING gin (UPPER(nama_tercatat::text) gin_trgm_ops, "
        "UPPER(nama_pendek_tercatat::text) gin_trgm_ops) WHERE nama_pendek_tercatat <> ''"),
    "dokumen_keterangan_trgm": (
        "workflow_document USING gin (UPPER(keterangan::text) gin_trgm_ops, UPPER(original_name::text) gin_trgm_ops)"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: something else in the database may use it by now.
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0031_invitation_names_of_record'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
