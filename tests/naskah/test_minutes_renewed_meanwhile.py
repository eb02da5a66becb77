"""The chair's page that finishes step 2 (and so signs the Notulen), opened before someone saved a new
version of the minutes, is refused: she would sign what she did not read. It said "Dosier ini sudah
berubah ... sekarang di Langkah 2", the step it was opened at, and she looked for a move that never
happened. It now says which version of the minutes was saved, by whom and when, and to read them
again; what she typed comes back, and sent again from the page it works."""

import datetime as dt
import re

from django.utils import timezone

from naskah import record
from tests.factories import client_for, dossier_at
from tests.naskah.helpers import generate
from workflow import services
from workflow.actions import Action
from workflow.demo import DEMO_PASSWORD
from workflow.steps import STEP_BY_NUMBER, DocKind

KIND = DocKind.NOTULEN_PERSIAPAN
NOTE = "Notulen dibacakan di akhir rapat dan disetujui peserta."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


def chair_with_minutes(people):
    """The round opened two days ago, the minutes of yesterday's meeting made: over at any hour the
    test runs (minutes dated today by default, of a meeting until 11.00, are not signed before then)."""
    dossier = dossier_at(people, STEP_BY_NUMBER[2].state, at=timezone.now() - dt.timedelta(days=2))
    assert generate(client_for(people, "staf"), dossier, KIND, tanggal_rapat=yesterday()).status_code == 302
    people["kasubag"].set_password(DEMO_PASSWORD)
    people["kasubag"].save()
    return dossier, client_for(people, "kasubag")


def yesterday() -> str:
    return (timezone.localdate() - dt.timedelta(days=1)).isoformat()


def said_of_version_2(people, made) -> str:
    from lib.dates import moment_text

    return (f"Notulen rapat persiapan sudah diperbarui ke versi 2 oleh {people['staf'].display_name} pada "
            f"{moment_text(made.document.uploaded_at)} WIB; periksa lagi sebelum menandatanganinya.")


def test_the_chair_reads_which_version_of_the_minutes_was_saved_meanwhile_and_keeps_her_note(people):
    dossier, chair = chair_with_minutes(people)
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    opened = chair.get(url).content.decode()
    # Meanwhile the Staf makes the minutes again.
    assert generate(client_for(people, "staf"), dossier, KIND, keputusan="Workshop diundur sehari.",
                    tanggal_rapat=yesterday()).status_code == 302

    sent = {"revision": field(opened, "revision"), "state": field(opened, "state"), "catatan": NOTE,
            "kata_sandi": DEMO_PASSWORD}
    refused = chair.post(url, sent)
    html = text_of(refused)
    made = record.latest(dossier, KIND)
    assert refused.status_code == 200
    assert said_of_version_2(people, made) in html
    assert "Dosier tetap di Langkah 2" in html and "sudah berubah sejak halaman Anda dibuka" not in html
    assert NOTE in html
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[2].state and not made.is_final
    # The page shows version 2 above the button, and sent again from it, the chair signs version 2.
    assert "Notulen rapat persiapan</strong> · versi 2, konsep" in html
    again = chair.post(url, sent | {"revision": field(refused.content.decode(), "revision")})
    assert again.status_code == 302
    made.refresh_from_db()
    assert made.is_final and made.versi == 2


def test_a_version_saved_while_the_chairs_signature_was_being_made_is_told_as_well(people):
    """The signature is made before the transaction that stores it (BSrE may take its time): a new
    version saved in between refuses it there, with the same news."""
    dossier, chair = chair_with_minutes(people)
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    opened = chair.get(url).content.decode()
    staf = client_for(people, "staf")

    def saved_meanwhile(**kwargs):
        if kwargs["action"] == Action.SELESAIKAN and record.latest(dossier, KIND).versi == 1:
            assert generate(staf, dossier, KIND, keputusan="Workshop diundur sehari.",
                    tanggal_rapat=yesterday()).status_code == 302

    services.transition_preparing.connect(saved_meanwhile, weak=False, dispatch_uid="saved_meanwhile")
    try:
        refused = chair.post(url, {"revision": field(opened, "revision"), "state": field(opened, "state"),
                                   "catatan": NOTE, "kata_sandi": DEMO_PASSWORD})
    finally:
        services.transition_preparing.disconnect(dispatch_uid="saved_meanwhile")
    html = text_of(refused)
    made = record.latest(dossier, KIND)
    assert refused.status_code == 200 and made.versi == 2 and not made.is_final
    assert said_of_version_2(people, made) in html and NOTE in html
