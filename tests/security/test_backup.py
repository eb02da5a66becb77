"""A backup taken from a populated install restores into an empty one with every row and every
stored file exactly as it was (each file's SHA-256 compared), the audit chain whole."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iku.models import IkuRow
from workflow.models import AuditEvent, Document, Dossier, User
from workflow.steps import STEP_BY_NUMBER


def snapshot() -> dict:
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values("pk", "judul", "state", "revision", "tahun")),
        "events": list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "note", "hash")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password", "nip")),
        "rows": list(IkuRow.objects.order_by("pk").values_list("pk", "indikator", "target", "target_nilai")),
        "files": {d.pk: hashlib.sha256(d.file.read()).hexdigest() for d in Document.objects.order_by("pk")},
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_an_empty_install_exactly(people, walk, settings, tmp_path, capsys):
    walk(STEP_BY_NUMBER[6].state, returns=1)
    before = snapshot()
    assert before["files"]
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    assert "berkas dicadangkan" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    assert not Dossier.objects.exists()

    call_command("restore", str(archive))
    assert snapshot() == before
    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(archive))  # never over a live install
