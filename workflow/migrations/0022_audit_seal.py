"""The audit chain sealed with a key (workflow.audit.chain): the events chained by plain SHA-256 so far
are checked under that rule first, then sealed again in order. Run by the migrating role, which owns
the table and so may lift the trigger that refuses updates for the length of this migration."""

import datetime as dt
import hashlib
import json

from django.db import migrations

from workflow.audit import chain as audit_chain

FIELDS = ("dossier_id", "actor_id", "actor_label", "role", "on_behalf_of_id", "delegation_kind", "action",
          "from_state", "to_state", "note")


def sha256_hash(event, prev_hash: str) -> str:
    """The chain's rule before this migration (0009)."""
    at = event.at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
    body = {name: getattr(event, name) for name in FIELDS} | {"at": at, "data": event.data or {}}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + "\n" + text).encode()).hexdigest()


def reseal(apps, schema_editor):
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    events = list(AuditEvent.objects.order_by("pk"))
    prev = audit_chain.GENESIS
    for event in events:
        if event.prev_hash != prev or event.hash != sha256_hash(event, prev):
            raise RuntimeError(
                f"Riwayat catatan #{event.pk} sudah rusak sebelum disegel; periksa dengan verify_audit versi "
                "sebelumnya dan pulihkan dari cadangan sebelum memperbarui.")
        prev = event.hash
    rechain(apps, schema_editor, events, audit_chain.event_hash)


def unseal(apps, schema_editor):
    """Back to plain SHA-256, for the code before this migration."""
    rechain(apps, schema_editor, list(apps.get_model("workflow", "AuditEvent").objects.order_by("pk")), sha256_hash)


def rechain(apps, schema_editor, events, rule):
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres and events:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE workflow_auditevent DISABLE TRIGGER workflow_auditevent_no_change")
    prev = audit_chain.GENESIS
    for event in events:
        sealed = rule(event, prev)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=sealed)
        prev = sealed
    if postgres and events:
        schema_editor.execute("ALTER TABLE workflow_auditevent ENABLE TRIGGER workflow_auditevent_no_change")
    apps.get_model("workflow", "AuditChainHead").objects.update_or_create(
        pk=1, defaults={"last_hash": prev, "last_event": events[-1].pk if events else None})


class Migration(migrations.Migration):
    dependencies = [("workflow", "0021_data_version")]

    operations = [migrations.RunPython(reseal, unseal)]
