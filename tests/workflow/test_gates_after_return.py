"""After the Kabag returns the draft, the step asks for the Nota and the draft decree again: the page
says that the ones it shows were made before the return, not that they are missing."""

from tests.factories import client_for
from workflow import services
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER


def test_after_a_return_the_old_outputs_are_named_as_made_before_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, catatan="Perbaiki target")
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[6].state
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    assert "Nota Dinas yang ada dibuat sebelum dosier kembali ke langkah ini" in page
    assert "Output langkah 6 belum ada" not in page
