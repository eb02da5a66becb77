"""renew_timestamps is audited (issue 25): each document timestamp it adds is one event in the
dossier's history, written with the renewed bytes, by "Sistem (pembaruan stempel waktu)" since no
person acted; the history page, the API, the admin and verify_audit read it; a run that renews
nothing writes nothing, and a renewal whose event cannot be written is not stored either."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from api.models import Access
from naskah import certificates, pades, record
from tests.api.helpers import as_token
from tests.factories import client_for
from tests.naskah.test_long_term import renew, sign, stored_record
from workflow.models import AuditEvent
from workflow.models.audit import AuditQuerySet

SYSTEM = "Sistem (pembaruan stempel waktu)"


@pytest.fixture
def due(people, dossier):
    """A Nota signed B-LT (no document timestamp yet): due for renewal at once."""
    return stored_record(dossier, people["kasubag"], sign(certificates.for_signer(people["kabiro"]), lta=False))


def test_a_renewal_is_one_event_by_the_system_and_a_run_renewing_nothing_writes_none(people, dossier, due):
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert "1 diperbarui" in renew()
    due.refresh_from_db()
    [event] = AuditEvent.objects.filter(pk__gt=last)
    horizon = pades.evidence(record.served_bytes(due)).horizon
    assert event.actor is None and event.actor_label == SYSTEM and event.role == ""
    assert event.action_label == "Memperbarui stempel waktu naskah"
    assert event.dossier_id == dossier.pk and event.from_state == event.to_state == dossier.state
    assert f"Nota Dinas {due.nomor}: stempel waktu dokumen ditambahkan" in event.note
    assert f"dapat diverifikasi sampai {pades.day_text(horizon)}" in event.note
    assert event.data["naskah"] == due.pk and event.data["berlaku_sampai"] == horizon.date().isoformat()
    assert event.data["sha256_sesudah"] == due.final_sha256 != event.data["sha256_sebelum"]

    assert "0 diperbarui, 1 belum perlu" in renew()
    assert AuditEvent.objects.filter(pk__gt=last).count() == 1
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Rantai riwayat utuh" in out.getvalue()


def test_the_history_page_the_api_and_the_admin_name_the_system(people, dossier, due):
    renew()
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert SYSTEM in page and "Memperbarui stempel waktu naskah" in page and "None" not in page
    history = as_token(people, "kasubag", Access.READ).get(f"/api/v1/dosier/{dossier.pk}/").json()["riwayat"]
    assert history[-1]["pelaku"] == SYSTEM and history[-1]["tindakan"] == "perbarui_stempel_waktu"
    event = AuditEvent.objects.get(actor=None)
    admin = client_for(people, "admin")
    listed = admin.get("/admin/workflow/auditevent/?action=perbarui_stempel_waktu")
    assert listed.status_code == 200 and SYSTEM in listed.content.decode()
    shown = admin.get(f"/admin/workflow/auditevent/{event.pk}/change/")
    assert shown.status_code == 200 and SYSTEM in shown.content.decode() and "None" not in shown.content.decode()
    assert admin.get(f"/admin/workflow/dossier/{dossier.pk}/change/").status_code == 200


def test_a_renewal_whose_event_cannot_be_written_is_not_stored(people, due, monkeypatch):
    before = record.served_bytes(due)
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    def busy(self, event):
        raise OperationalError("database is locked")

    monkeypatch.setattr(AuditQuerySet, "append", busy)
    # Said to the operator in a line (lib.commands), and nothing of the renewal kept.
    with pytest.raises(CommandError, match="Basis data tidak dapat dipakai.*database is locked"):
        renew()
    due.refresh_from_db()
    assert record.served_bytes(due) == before and due.final_sha256 == record.sha256(before)
    assert not AuditEvent.objects.filter(pk__gt=last).exists()
