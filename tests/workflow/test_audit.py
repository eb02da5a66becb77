"""The audit log: one event per action, written with the change, never edited or removed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from workflow import demo, services
from workflow.actions import ACTION_LABELS, Action
from workflow.models import AuditEvent, AuditImmutable


def test_every_action_appends_one_event_with_who_role_and_move(people, dossier):
    demo.upload(dossier, people["staf"], "dpa")
    event = AuditEvent.objects.filter(dossier=dossier).last()
    assert (event.actor, event.role, event.action) == (people["staf"], "staf", Action.UNGGAH)
    assert event.from_state == event.to_state == "langkah_1"
    assert event.actor_label == "Andi Saputra, S.Kom. (Staf)"
    assert event.note == "DPA SKPD: dpa.pdf"


def test_a_refused_action_writes_nothing(people, dossier):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=dossier.revision)
    assert AuditEvent.objects.count() == before


def test_events_cannot_be_changed_or_deleted(people, dossier):
    event = dossier.events.first()
    event.note = "diubah"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).note == "Penetapan IKU 2027"


def test_the_admin_shows_events_but_cannot_change_or_delete_them(people, dossier):
    client = Client()
    client.force_login(people["admin"])
    event = dossier.events.first()
    assert client.get("/admin/workflow/auditevent/").status_code == 200
    page = client.get(f"/admin/workflow/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b"Simpan" not in page.content and b"name=\"_save\"" not in page.content
    assert client.post(f"/admin/workflow/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("viewed", [1, 30])
def test_the_admins_history_counts_each_action_in_one_pass_over_the_log(people, dossier, viewed):
    # "Tampilkan hitungan" counted each of the twenty actions as a subquery over the whole log: three
    # seconds a page at 200,000 events, and every filter and page opened after carries the counts.
    AuditEvent.objects.bulk_create([AuditEvent(dossier=dossier, actor=people["kabag"], actor_label="Kabag",
                                               action=Action.LIHAT, to_state=dossier.state) for _ in range(viewed)])
    client = Client()
    client.force_login(people["admin"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/workflow/auditevent/?_facets=True")
    counting = [q["sql"] for q in queries.captured_queries if "FILTER (WHERE" in q["sql"] and '"action"' in q["sql"]]
    assert len(counting) == 1 and " IN (SELECT" not in counting[0], counting
    shown = AuditEvent.objects.filter(action=Action.LIHAT).count()
    assert f"{ACTION_LABELS[Action.LIHAT]} ({shown})" in page.content.decode()
    uploads = AuditEvent.objects.filter(action=Action.UNGGAH).count()
    assert f"{ACTION_LABELS[Action.UNGGAH]} ({uploads})" in page.content.decode()
