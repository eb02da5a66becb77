"""The admin takes an official's only role away (moved to another post) while his return note is
open: the dossier is no longer shared with him, and the page said only "Halaman tidak ditemukan",
as if the dossier had been deleted, and dropped the note he had typed. He now reads why, with his
note to copy; nothing is recorded."""

import re

from tests.factories import client_for
from workflow.models import AuditEvent, UserRole
from workflow.steps import STEP_BY_NUMBER

NOTE = "Urutan lampiran IKU Dinas Sosial tertukar dengan Dinas Kesehatan, mohon diperbaiki"


def test_an_official_whose_role_was_taken_away_reads_why_and_keeps_his_note(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    assert kabag.get(url).status_code == 200
    UserRole.objects.filter(user=people["kabag"]).delete()
    events = AuditEvent.objects.count()

    answer = kabag.post(url, {"revision": dossier.revision, "state": dossier.state, "catatan": NOTE},
                        HTTP_ORIGIN="http://testserver")
    text = re.sub(r"\s+", " ", answer.content.decode())
    assert answer.status_code == 404
    assert "Akun Anda kini tidak memegang peran apa pun di aplikasi ini" in text
    assert f">{NOTE}</textarea>" in text
    assert AuditEvent.objects.count() == events
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_someone_who_holds_a_role_still_reads_the_plain_not_found(people):
    answer = client_for(people, "kasubag").get("/dosier/999999/")
    text = re.sub(r"\s+", " ", answer.content.decode())
    assert answer.status_code == 404
    assert "Alamat ini tidak ada atau tidak dibagikan kepada Anda." in text
    assert "tidak memegang peran" not in text
