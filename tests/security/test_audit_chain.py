"""The audit log proves itself: every event chained by hash; a change, a removal or a raw SQL
edit shows in `verify_audit`; on PostgreSQL the database itself refuses to change the log."""

import threading

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from naskah.admin import NaskahRecordAdmin
from naskah.models import NaskahRecord
from tests.conftest import is_postgres
from tests.factories import open_dossier
from workflow import demo, services
from workflow.actions import Action
from workflow.models import AuditEvent, Document, Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind


def verify(capsys) -> tuple[int, str]:
    try:
        call_command("verify_audit")
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def raw(sql, params=()):
    """Raw SQL as a database console would run it; on PostgreSQL with the triggers switched off
    first, as the table's owner could, to show the chain still tells."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE workflow_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if is_postgres():
            cursor.execute("ALTER TABLE workflow_auditevent ENABLE TRIGGER USER")


def test_a_whole_log_verifies_and_a_changed_note_is_named(people, walk, capsys):
    walk(STEP_BY_NUMBER[4].state)
    code, out = verify(capsys)
    assert code == 0 and f"Rantai riwayat utuh: {AuditEvent.objects.count()} catatan." in out
    third = AuditEvent.objects.order_by("pk")[2]
    raw("UPDATE workflow_auditevent SET note = %s WHERE id = %s", ["diubah diam-diam", third.pk])
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{third.pk}" in out and "isinya berubah" in out


def test_a_removed_event_breaks_the_chain_at_the_next_one(people, walk, capsys):
    walk(STEP_BY_NUMBER[4].state)
    events = list(AuditEvent.objects.order_by("pk"))
    raw("DELETE FROM workflow_auditevent WHERE id = %s", [events[1].pk])
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{events[2].pk}" in out and "tidak menyambung" in out


def test_removing_the_last_event_shows_at_the_head(people, walk, capsys):
    walk(STEP_BY_NUMBER[2].state)
    raw("DELETE FROM workflow_auditevent WHERE id = %s", [AuditEvent.objects.order_by("-pk").first().pk])
    code, out = verify(capsys)
    assert code == 1 and "ujungnya" in out


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_deletes_and_truncation(people, walk):
    walk(STEP_BY_NUMBER[2].state)
    event = AuditEvent.objects.first()
    for sql in ("UPDATE workflow_auditevent SET note = 'x' WHERE id = %s", "DELETE FROM workflow_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="tidak dapat diubah atau dihapus"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, note=event.note).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_transitions_at_once_on_different_dossiers_still_form_one_chain(capsys):
    people = demo.ensure_people()
    dossiers = [open_dossier(people, f"Serentak {n}") for n in range(4)]
    errors = []

    def advance(pk):
        # Fresh objects, no refresh_from_db: django-fsm-2 unprotects the state field class-wide
        # while refreshing, which is not safe between threads (gunicorn's workers are processes).
        try:
            for n in range(5):
                document = Document(kind=DocKind.LAINNYA, original_name=f"{n}.pdf", size=4)
                document.file.save(f"{n}.pdf", ContentFile(b"%PDF"), save=False)
                dossier = Dossier.objects.get(pk=pk)
                services.perform(dossier, people["staf"], Action.UNGGAH, revision=dossier.revision, document=document)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=advance, args=(d.pk,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert AuditEvent.objects.filter(action="unggah_dokumen").count() == 20
    code, out = verify(capsys)
    assert code == 0, out


def test_the_record_of_an_issued_number_cannot_be_deleted_in_the_admin(people, rf):
    request = rf.get("/admin/")
    request.user = people["admin"]
    assert not NaskahRecordAdmin(NaskahRecord, None).has_delete_permission(request)


def test_a_log_read_under_another_key_says_the_key_not_tampering(people, walk, capsys, settings):
    walk(STEP_BY_NUMBER[3].state)
    own = settings.SOP_AUDIT_KEY
    settings.SOP_AUDIT_KEY = "kunci-pemasangan-lain-" + "x" * 30
    code, out = verify(capsys)
    assert code == 1 and "disegel dengan kunci lain" in out
    # One changed first event under the right key is still named as changed.
    settings.SOP_AUDIT_KEY = own
    first = AuditEvent.objects.order_by("pk").first()
    raw("UPDATE workflow_auditevent SET note = %s WHERE id = %s", ["diubah diam-diam", first.pk])
    code, out = verify(capsys)
    assert code == 1 and f"catatan #{first.pk}" in out and "isinya berubah" in out
