"""The audit log proves itself: a hash chain over every event (existing ones chained in order), and
on PostgreSQL triggers that refuse changing, deleting or truncating events, even by raw SQL."""

from django.db import migrations, models

from workflow.audit import chain as audit_chain

REFUSE = r"""
CREATE OR REPLACE FUNCTION workflow_auditevent_refuse() RETURNS trigger AS $$
BEGIN
    -- Django's test databases (test_...) are emptied between tests; nothing else may touch the log.
    IF TG_OP = 'TRUNCATE' AND current_database() LIKE 'test\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'Catatan riwayat tidak dapat diubah atau dihapus (%).', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER workflow_auditevent_no_change BEFORE UPDATE OR DELETE ON workflow_auditevent
    FOR EACH ROW EXECUTE FUNCTION workflow_auditevent_refuse();
CREATE TRIGGER workflow_auditevent_no_truncate BEFORE TRUNCATE ON workflow_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION workflow_auditevent_refuse();
"""
ALLOW = """
DROP TRIGGER IF EXISTS workflow_auditevent_no_change ON workflow_auditevent;
DROP TRIGGER IF EXISTS workflow_auditevent_no_truncate ON workflow_auditevent;
DROP FUNCTION IF EXISTS workflow_auditevent_refuse();
"""


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    AuditChainHead = apps.get_model("workflow", "AuditChainHead")
    prev, last = audit_chain.GENESIS, None
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        event.prev_hash = prev
        event.hash = audit_chain.event_hash(event, prev)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        prev, last = event.hash, event.pk
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "last_event": last})


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE, params=None)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0008_notices_and_disposisi")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_hash", models.CharField(default=audit_chain.GENESIS, max_length=64)),
                ("last_event", models.BigIntegerField(null=True)),
            ],
            options={"verbose_name": "ujung rantai riwayat"},
        ),
        migrations.AddField(
            model_name="auditevent", name="hash", field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent", name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash sebelumnya"),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
