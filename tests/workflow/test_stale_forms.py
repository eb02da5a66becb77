"""A form sent after the dossier moved on: the sender reads where it is now, on the same page, with
what was typed still there; an addition by someone else meanwhile does not refuse an addition."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import client_for
from workflow import demo, services
from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def test_a_return_note_typed_before_the_paraf_elsewhere_comes_back_with_the_news(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    seen, state = dossier.revision, dossier.state
    # Another tab: the Kabag parafs, the dossier is at step 8, where the Kabag may no longer return it.
    services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=seen)
    page = client_for(people, "kabag").post(
        f"/dosier/{dossier.pk}/aksi/kembalikan/",
        {"revision": seen, "state": state, "catatan": "Target Dinsos belum terukur, mohon diperbaiki"},
    )
    html = page.content.decode()
    assert page.status_code == 200  # not "Anda tidak berwenang"
    assert "Dosier ini sudah berubah" in html and "sekarang di Langkah 8" in html
    assert "Target Dinsos belum terukur, mohon diperbaiki" in html
    assert "tidak berwenang" not in html
    assert not AuditEvent.objects.filter(dossier=dossier, action=Action.KEMBALIKAN).exists()


def test_a_stale_finish_shows_the_news_not_the_new_steps_missing_items(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    seen, state = dossier.revision, dossier.state
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    page = client_for(people, "kasubag").post(
        f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": seen, "state": state}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "sekarang di Langkah 7" in html
    assert "belum ada" not in html


def test_an_upload_is_not_refused_because_someone_else_uploaded_meanwhile(people, dossier):
    seen, state = dossier.revision, dossier.state
    demo.upload(dossier, people["kasubag"], "lainnya", PDF)
    client_for(people, "staf").post(
        f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
        {"revision": seen, "state": state, "kind": "dpa", "keterangan": "DPA 2027",
         "file": SimpleUploadedFile("dpa.pdf", PDF, content_type="application/pdf")},
    )
    assert dossier.documents.filter(kind="dpa", keterangan="DPA 2027").exists()


def test_an_upload_after_the_step_moved_keeps_the_text_and_asks_for_the_file_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    seen, state = dossier.revision, dossier.state
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    page = client_for(people, "staf").post(
        f"/dosier/{dossier.pk}/aksi/unggah_dokumen/",
        {"revision": seen, "state": state, "kind": "dpa", "keterangan": "DPA perubahan 2027",
         "file": SimpleUploadedFile("dpa.pdf", PDF, content_type="application/pdf")},
    )
    html = page.content.decode()
    assert "sekarang di Langkah 2" in html
    assert "DPA perubahan 2027" in html
    assert "pilih lagi berkasnya" in html
    assert not dossier.documents.filter(keterangan="DPA perubahan 2027").exists()
