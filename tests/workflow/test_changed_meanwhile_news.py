"""The Kasubag's page that closes step 5 (or initials at step 6), opened before a meeting was recorded,
an agency's IKU was sent or reopened or a paper was uploaded there, is refused: she would close the
step over what she did not read. It said only "Dosier ini sudah berubah ... sekarang di Langkah 5",
the step it was opened at, and she looked for a move that never happened. It now says what was done,
by whom and when, as it says a new version of the minutes; what she typed comes back."""

import re

import pytest
from django.utils import timezone

from lib.dates import moment_text
from tests.factories import client_for
from workflow import demo, services
from workflow.actions import Action
from workflow.models import Meeting
from workflow.steps import STEP_BY_NUMBER, DocKind

NOTE = "Bahan semua SKPD sudah dibahas; lanjut ke Nota."


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def field(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html)[1]


def when(event) -> str:
    return f"{moment_text(event.at)} WIB"


def meeting_recorded(people, dossier) -> str:
    dossier.refresh_from_db()
    event = services.perform(dossier, people["staf"], Action.CATAT_RAPAT, revision=dossier.revision, meeting=Meeting(
        held_at=timezone.now(), tempat="Ruang Rapat Biro Kesra", pimpinan=people["kabiro"].display_name,
        ringkasan="Formula indikator Dinsos disepakati diperbaiki."))
    return f"Rapat baru dicatat oleh {people['staf'].display_name} pada {when(event)}"


def iku_sent(people, dossier, username="dinkes") -> str:
    event = demo.submit_iku(dossier, people[username], "Bahan")
    return f"Bahan penyusunan IKU dari {people[username].skpd} sudah dikirim oleh {people[username].display_name} pada {when(event)}"


def iku_reopened(people, dossier) -> str:
    dossier.refresh_from_db()
    event = services.perform(dossier, people["kasubag"], Action.BUKA_KEMBALI_IKU, revision=dossier.revision,
                             skpd=people["dinkes"].skpd, catatan="Target AKI belum memuat angka tahun 2027")
    return (f"Bahan penyusunan IKU {people['dinkes'].skpd.nama_pendek} sudah dibuka kembali oleh "
            f"{people['kasubag'].display_name} pada {when(event)}")


def paper_uploaded(people, dossier) -> str:
    event = demo.upload(dossier, people["staf"], DocKind.LAINNYA)
    return f"Dokumen pendukung lainnya baru diunggah oleh {people['staf'].display_name} pada {when(event)}"


def several(people, dossier) -> str:
    meeting_recorded(people, dossier)
    iku_sent(people, dossier, "dinkes")
    return f"{iku_sent(people, dossier, 'dinsos')}, dan 2 perubahan lain sebelumnya"


# (the step the Kasubag's page is opened at, what is done meanwhile, so named)
CHANGES = {
    "meeting": (5, meeting_recorded),
    "iku-sent": (5, iku_sent),
    "iku-reopened": (6, iku_reopened),
    "paper": (5, paper_uploaded),
    "several": (5, several),
}


def at_step(people, walk, number):
    """A dossier at step `number` with what its step needs, Bahan sent at step 5 by both agencies."""
    dossier = walk(STEP_BY_NUMBER[number].state)
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    return dossier


@pytest.mark.parametrize("change", CHANGES)
def test_a_finish_opened_before_another_change_at_the_step_says_what_changed_and_keeps_the_note(people, walk, change):
    number, meanwhile = CHANGES[change]
    dossier = at_step(people, walk, number)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    opened = kasubag.get(url).content.decode()
    said = meanwhile(people, dossier)

    refused = kasubag.post(url, {"revision": field(opened, "revision"), "state": field(opened, "state"),
                                 "catatan": NOTE})
    html = text_of(refused)
    dossier.refresh_from_db()
    assert refused.status_code == 200
    assert (f"{said}; periksa lagi sebelum menekan “{STEP_BY_NUMBER[number].action_label}”. Dosier tetap di {dossier.state_label}. "
            "Tindakan Anda belum disimpan; isian Anda masih di bawah.") in html
    assert "sudah berubah sejak halaman Anda dibuka" not in html
    assert NOTE in html
    assert dossier.state == STEP_BY_NUMBER[number].state
