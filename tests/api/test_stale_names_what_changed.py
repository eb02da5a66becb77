"""A program that read a dossier at step 2 and finishes it (which signs the Notulen) after someone saved
a new version of the minutes is refused (412), as the chair's page is. It was told only "Dosier ini
sudah berubah sejak revisi 5 yang Anda baca: sekarang revisi 6, masih di Langkah 2", and looked for
a move that never happened; it is now told, in the pages' words, which version was saved, by whom
and when, and to read it before signing; so is one that closes a step after a meeting was recorded or an
agency's IKU was sent or reopened there."""

import pytest

from lib.dates import moment_text
from naskah import record
from tests.api.helpers import as_token
from tests.factories import client_for
from tests.naskah.helpers import generate
from tests.workflow.test_changed_meanwhile_news import CHANGES, at_step
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, DocKind

KIND = DocKind.NOTULEN_PERSIAPAN


@pytest.mark.parametrize("tagged", [True, False], ids=["etag", "revision-only"])
def test_a_program_signing_minutes_renewed_since_it_read_them_is_told_which_version_was_saved(people, walk, tagged):
    dossier = walk(STEP_BY_NUMBER[2].state)
    staf = client_for(people, "staf")
    assert generate(staf, dossier, KIND).status_code == 302
    dossier.refresh_from_db()
    read = dossier.revision
    seen = f'"{dossier.pk}-{read}-{dossier.state}"' if tagged else str(read)
    # Meanwhile the Staf makes the minutes again, on the page.
    assert generate(staf, dossier, KIND, keputusan="Workshop diundur sehari.").status_code == 302

    late = as_token(people, "kasubag").post(f"/api/v1/dosier/{dossier.pk}/aksi/{Action.SELESAIKAN}/",
                                            {"catatan": "Notulen disetujui."}, HTTP_IF_MATCH=seen)
    made = record.latest(dossier, KIND)
    dossier.refresh_from_db()
    assert late.status_code == 412, late.content
    assert late.json()["detail"] == (
        f"Notulen rapat persiapan sudah diperbarui ke versi 2 oleh {people['staf'].display_name} pada "
        f"{moment_text(made.document.uploaded_at)} WIB; periksa lagi sebelum menandatanganinya. Dosier tetap di "
        f"{dossier.state_label}. Anda membaca revisi {read}; sekarang revisi {dossier.revision}. Perubahan tidak "
        f"disimpan. Baca dosier lagi (GET /api/v1/dosier/{dossier.pk}/) untuk melihat yang berubah, lalu kirim lagi "
        "dengan ETag barunya di If-Match (ETag dosier sekarang ada di header jawaban ini).")
    assert late.json()["revisi"] == dossier.revision
    assert late["ETag"] == f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    assert dossier.state == STEP_BY_NUMBER[2].state and made.versi == 2 and not made.is_final


@pytest.mark.parametrize("change", CHANGES)
def test_a_program_closing_a_step_changed_since_it_read_it_is_told_what_was_done(people, walk, change):
    """A meeting recorded, an agency's IKU sent or reopened: named as the pages name them."""
    number, meanwhile = CHANGES[change]
    dossier = at_step(people, walk, number)
    read = dossier.revision
    said = meanwhile(people, dossier)

    late = as_token(people, "kasubag").post(f"/api/v1/dosier/{dossier.pk}/aksi/{Action.SELESAIKAN}/",
                                            {"catatan": "Bahan sudah dibahas."},
                                            HTTP_IF_MATCH=f'"{dossier.pk}-{read}-{dossier.state}"')
    dossier.refresh_from_db()
    assert late.status_code == 412, late.content
    assert late.json()["detail"].startswith(
        f"{said}; periksa lagi sebelum menekan “{STEP_BY_NUMBER[number].action_label}”. Dosier tetap di {dossier.state_label}. Anda "
        f"membaca revisi {read}; sekarang revisi {dossier.revision}. Perubahan tidak disimpan.")
    assert late.json()["revisi"] == dossier.revision and dossier.state == STEP_BY_NUMBER[number].state
