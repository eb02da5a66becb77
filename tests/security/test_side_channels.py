"""An agency learns nothing of the bureau's internal documents or notes, not even through search."""

from django.core.files.base import ContentFile

from tests.factories import client_for
from workflow import services
from workflow.actions import Action
from workflow.models import Document
from workflow.steps import STEP_BY_NUMBER, DocKind

SECRET = "rahasia-qz7"


def test_searching_a_hidden_description_a_character_at_a_time_finds_nothing(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    document = Document(kind=DocKind.DPA, original_name="dpa.pdf", size=4, keterangan=f"Catatan {SECRET}")
    document.file.save("dpa.pdf", ContentFile(b"%PDF"), save=False)
    dossier.refresh_from_db()
    services.perform(dossier, people["staf"], Action.UNGGAH, revision=dossier.revision, document=document)
    agency, bureau = client_for(people, "dinkes"), client_for(people, "kasubag")
    for prefix in (SECRET[:n] for n in range(3, len(SECRET) + 1)):
        assert dossier.judul not in agency.get("/arsip/", {"q": prefix}).content.decode(), prefix
    assert dossier.judul in bureau.get("/arsip/", {"q": SECRET}).content.decode()
    # A letter addressed to the agency is still found by its name.
    assert dossier.judul in agency.get("/arsip/", {"q": "undangan"}).content.decode()


def test_an_agency_reads_that_a_dossier_was_cancelled_but_not_why(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision, alasan=f"Anggaran {SECRET}")
    assert SECRET not in client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()
    assert SECRET in client_for(people, "kabag").get(f"/dosier/{dossier.pk}/").content.decode()
