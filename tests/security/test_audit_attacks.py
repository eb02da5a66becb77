"""The audit log against someone holding the app's database credentials: each way the report found
to rewrite it is tried, and `verify_audit` exits 1 naming what it found.

Seals need the key the database never holds; checkpoints outside the database catch a log cut
short or made again; on PostgreSQL the app's own role owns no table, so it cannot lift the trigger.
"""

import hashlib
import json
import os
import threading

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.security.test_audit_chain import raw, verify
from workflow.audit import chain as audit_chain
from workflow.models import AuditChainHead, AuditEvent
from workflow.steps import STEP_BY_NUMBER


def sha256_rule(event, prev):
    """What an attacker without the key computes: the plain SHA-256 chain the log used before."""
    return hashlib.sha256((prev + "\n" + audit_chain.content(event)).encode()).hexdigest()


def rechain(events, rule, start=audit_chain.GENESIS):
    prev = start
    for event in events:
        event.prev_hash, event.hash = prev, rule(event, prev)
        raw("UPDATE workflow_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [event.prev_hash, event.hash, event.pk])
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(last_hash=prev, last_event=events[-1].pk)


def append_forged(rule):
    """An event copied from the last one, chained by `rule`, and the head moved to it."""
    last = AuditEvent.objects.order_by("-pk").first()
    forged = AuditEvent(dossier_id=last.dossier_id, at=last.at, actor_id=last.actor_id, actor_label=last.actor_label,
                        role=last.role, action="batalkan", from_state=last.to_state, to_state="dibatalkan",
                        note="sisipan", data={}, prev_hash=last.hash)
    forged.hash = rule(forged, last.hash)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflow_auditevent (dossier_id, at, actor_id, actor_label, role, delegation_kind, action,"
            " from_state, to_state, note, data, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s, %s, %s)",
            [forged.dossier_id, forged.at, forged.actor_id, forged.actor_label, forged.role, forged.action,
             forged.from_state, forged.to_state, forged.note, json.dumps({}), forged.prev_hash, forged.hash])
    forged_pk = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    AuditChainHead.objects.filter(pk=1).update(last_hash=forged.hash, last_event=forged_pk)
    return forged_pk


def test_an_appended_event_with_its_sha256_recomputed_and_the_head_moved_is_named(people, walk, capsys):
    walk(STEP_BY_NUMBER[3].state)
    forged = append_forged(sha256_rule)
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{forged}" in out and "segelnya tidak cocok" in out


def test_an_edited_event_with_every_hash_recomputed_is_caught_without_the_key(people, walk, capsys):
    walk(STEP_BY_NUMBER[4].state)
    events = list(AuditEvent.objects.order_by("pk"))
    raw("UPDATE workflow_auditevent SET note = %s WHERE id = %s", ["diubah", events[3].pk])
    events[3].note = "diubah"
    rechain(events, sha256_rule)
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{events[0].pk}" in out and "segelnya tidak cocok" in out


def test_the_log_sealed_under_another_key_does_not_verify(people, walk, capsys, settings):
    walk(STEP_BY_NUMBER[2].state)
    assert verify(capsys)[0] == 0
    settings.SOP_AUDIT_KEY = "kunci lain"
    code, out = verify(capsys)
    assert code == 1 and "segelnya tidak cocok" in out


def test_a_log_cut_short_after_a_checkpoint_is_caught(people, walk, capsys):
    walk(STEP_BY_NUMBER[4].state)
    call_command("verify_audit", "--checkpoint")
    events = list(AuditEvent.objects.order_by("pk"))
    # Cut the last two events and move the head back: what remains is a whole chain.
    raw("DELETE FROM workflow_auditevent WHERE id >= %s", [events[-2].pk])
    AuditChainHead.objects.filter(pk=1).update(last_hash=events[-3].hash, last_event=events[-3].pk)
    assert audit_chain.first_break(AuditEvent.objects.order_by("pk")) is None
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{events[-1].pk}" in out and "dipotong" in out


def test_a_log_made_again_with_the_key_is_caught_by_its_checkpoint(people, walk, capsys):
    """Even someone holding the key cannot rewrite what a checkpoint already recorded."""
    walk(STEP_BY_NUMBER[4].state)
    call_command("verify_audit", "--checkpoint")
    events = list(AuditEvent.objects.order_by("pk"))
    raw("UPDATE workflow_auditevent SET note = %s WHERE id = %s", ["ditulis ulang", events[1].pk])
    events[1].note = "ditulis ulang"
    rechain(events, audit_chain.event_hash)
    assert audit_chain.first_break(AuditEvent.objects.order_by("pk")) is None
    code, out = verify(capsys)
    assert code == 1 and "dibangun ulang" in out


def test_a_changed_checkpoint_file_is_named(people, walk, capsys):
    walk(STEP_BY_NUMBER[2].state)
    call_command("verify_audit", "--checkpoint")
    path = audit_chain.checkpoint_path()
    point = json.loads(path.read_text())
    point["count"] -= 1
    path.write_text(json.dumps(point) + "\n")
    code, out = verify(capsys)
    assert code == 1 and "baris 1 berkas titik periksa" in out


def test_checkpoints_follow_a_growing_log(people, walk, capsys):
    dossier = walk(STEP_BY_NUMBER[2].state)
    call_command("verify_audit", "--checkpoint")
    from workflow import demo

    demo.walk_to(dossier, people, STEP_BY_NUMBER[4].state)
    code, out = verify(capsys)
    assert code == 0, out
    call_command("verify_audit", "--checkpoint")
    lines = audit_chain.checkpoint_path().read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["count"] == AuditEvent.objects.count()



def test_checkpoints_taken_at_the_same_moment_leave_a_file_that_verifies(people, walk, capsys):
    # The hourly timer and an operator's own check can meet; each line must seal to the one before.
    walk(STEP_BY_NUMBER[2].state)
    last = AuditEvent.objects.order_by("-pk").values("pk", "hash").first()
    count = AuditEvent.objects.count()
    runs, each = 12, 5
    start = threading.Barrier(runs)

    def checkpoints():
        start.wait()
        for _ in range(each):
            audit_chain.append_checkpoint(last["pk"], last["hash"], count)

    threads = [threading.Thread(target=checkpoints) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    points, untrusted = audit_chain.read_checkpoints()
    assert untrusted is None and len(points) == runs * each
    code, out = verify(capsys)
    assert code == 0, out

APP_ROLE = os.environ.get("SOP_APP_ROLE", "sopiku_app")


def app_role_connection():
    """A connection as the role the app runs as, to the test database (the role is made by .ci/run)."""
    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            if os.environ.get("SOP_REQUIRE_POSTGRES"):
                pytest.fail(f"role {APP_ROLE} missing: .ci/run makes it")
            pytest.skip(f"PostgreSQL role {APP_ROLE} (password {APP_ROLE}) is missing")
    call_command("grant_app_role", APP_ROLE)
    return psycopg.connect(dbname=settings["NAME"], user=APP_ROLE, password=APP_ROLE, autocommit=True,
                           host=settings.get("HOST") or "127.0.0.1", port=settings.get("PORT") or 5432)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_apps_role_cannot_lift_the_trigger_nor_change_the_log_and_what_it_appends_is_named(people, capsys):
    from tests.factories import dossier_at

    dossier_at(people, STEP_BY_NUMBER[2].state)
    first = AuditEvent.objects.order_by("pk").first()
    app = app_role_connection()
    try:
        with app.cursor() as cursor:
            for sql in ("ALTER TABLE workflow_auditevent DISABLE TRIGGER USER",
                        "DROP TRIGGER workflow_auditevent_no_change ON workflow_auditevent",
                        f"UPDATE workflow_auditevent SET note = 'x' WHERE id = {first.pk}",
                        f"DELETE FROM workflow_auditevent WHERE id = {first.pk}",
                        "TRUNCATE workflow_auditevent CASCADE",
                        "UPDATE pg_trigger SET tgenabled = 'D'"):
                with pytest.raises(psycopg.Error) as refused:
                    cursor.execute(sql)
                assert refused.value.sqlstate in ("42501", "P0001"), (sql, refused.value.sqlstate)
            # What the app needs, it has: reading dossiers, moving the chain's head, appending.
            cursor.execute("SELECT count(*) FROM workflow_dossier")
            cursor.execute("UPDATE workflow_auditchainhead SET last_event = last_event WHERE id = 1")
            last = AuditEvent.objects.order_by("-pk").first()
            forged = AuditEvent(dossier_id=last.dossier_id, at=last.at, actor_id=last.actor_id,
                                actor_label=last.actor_label, role=last.role, action="batalkan",
                                from_state=last.to_state, to_state="dibatalkan", note="sisipan", data={})
            forged_hash = sha256_rule(forged, last.hash)
            cursor.execute(
                "INSERT INTO workflow_auditevent (dossier_id, at, actor_id, actor_label, role, delegation_kind, action,"
                " from_state, to_state, note, data, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s, %s,"
                " '{}', %s, %s) RETURNING id",
                [forged.dossier_id, forged.at, forged.actor_id, forged.actor_label, forged.role, forged.action,
                 forged.from_state, forged.to_state, forged.note, last.hash, forged_hash])
            forged_pk = cursor.fetchone()[0]
            cursor.execute("UPDATE workflow_auditchainhead SET last_hash = %s, last_event = %s WHERE id = 1",
                           [forged_hash, forged_pk])
    finally:
        app.close()
    assert AuditEvent.objects.filter(pk=first.pk, note=first.note).exists()
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{forged_pk}" in out
