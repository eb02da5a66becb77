"""A table the bureau reopened for fixes is awaited again until the agency sends it: the gate that
finishes the step names it as reopened, as the round's overview and its reminders count it. At step 6
the Kasubag moved on past a reopened table without a word, the Nota went up with the old table and
the agency's inbox kept a table it could no longer send."""

import re

import pytest

from iku.models import IkuSubmission
from iku.round import awaited, round_table
from tests.factories import client_for
from workflow import demo, services
from workflow.actions import Action
from workflow.gates import GateError
from workflow.steps import STEP_BY_NUMBER


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_step_six_waits_for_a_reopened_table_or_its_tick(people, reopened):
    dossier = reopened
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    form = text(kasubag.get(url))
    assert "Dinas Kesehatan (dibuka kembali, belum dikirim lagi)" in form
    refused = kasubag.post(url, {"revision": dossier.revision, "state": dossier.state})
    assert ("Centang semua SKPD yang IKU-nya dibuka kembali dan belum dikirim lagi untuk melanjutkan dengan "
            "tabel yang dikirimnya sebelumnya: Dinas Kesehatan.") in text(refused)
    # The transition itself (what a token's caller meets past the form) says it in the same words.
    with pytest.raises(GateError) as caught:
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    assert caught.value.messages == [
        "Bahan penyusunan IKU SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi: Dinas Kesehatan. "
        "Tunggu kiriman perbaikannya, atau catat SKPD tersebut sebagai belum mengirim untuk melanjutkan dengan "
        "tabel yang dikirimnya sebelum dibuka kembali."]
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[6].state

    kasubag.post(url, {"revision": dossier.revision, "state": dossier.state,
                       "skpd_belum_mengirim": [people["dinkes"].skpd_id]})
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state
    page = text(kasubag.get(f"/dosier/{dossier.pk}/"))
    assert "Belum mengirim: Dinas Kesehatan (dibuka kembali, belum dikirim lagi)" in page
    # Its reopening ended with the step: the round no longer reads it as awaited.
    assert "Dibuka kembali" not in page
    assert not IkuSubmission.objects.filter(dossier=dossier, reopened_at__isnull=False).exists()
    assert dossier.judul not in client_for(people, "dinkes").get("/").content.decode()


def test_a_table_sent_again_is_not_asked_for(people, reopened):
    dossier = reopened
    demo.submit_iku(dossier, people["dinkes"], "Bahan diperbaiki")
    dossier.refresh_from_db()
    form = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    assert "skpd_belum_mengirim" not in form
    demo.finish(dossier, people["kasubag"])
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_the_gate_and_the_round_count_a_reopened_table_alike(people, walk):
    """At step 5 a table left reopened (as a reopening leaves it until the agency sends) is what the
    round's overview and its reminders count as awaited: the gate counted it as sent."""
    dossier = walk(STEP_BY_NUMBER[5].state)
    demo.prepare_step(dossier, people)  # Dinkes and Dinsos send; Dinas Pendidikan dan Kebudayaan does not
    IkuSubmission.objects.filter(dossier=dossier, stage="bahan", skpd=people["dinsos"].skpd).update(
        reopened_at=dossier.state_entered_at, reopen_note="Formula belum terukur")
    dossier.refresh_from_db()
    table = round_table(dossier)
    assert [a.nama_pendek for a in table["missing"]] == ["Dinas Pendidikan dan Kebudayaan", "Dinas Sosial"]
    assert [a.nama_pendek for a in awaited(dossier)] == [a.nama_pendek for a in table["missing"]]
    with pytest.raises(GateError) as caught:
        demo.finish(dossier, people["kasubag"], skpd_belum_mengirim=[people["dinkes"].skpd])
    assert caught.value.messages[0].startswith(
        "Bahan penyusunan IKU SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi: Dinas Sosial.")
    page = text(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/"))
    assert "Ingatkan 1 SKPD yang belum mengirim Bahan penyusunan IKU" in page


def test_a_reopened_table_whose_officer_left_is_said_reopened_and_without_officer(people, reopened):
    """Dinas Kesehatan's officer was deactivated after its Bahan was reopened: the gate said only
    'belum mengirim ... dan belum ada petugas', as of an agency that never sent, and the form's box
    '(belum ada petugas)', hiding that the step may go on with the table it sent before."""
    from workflow.models import User

    dossier = reopened
    User.objects.filter(pk=people["dinkes"].pk).update(is_active=False)
    services.perform(dossier, people["kasubag"], Action.BUKA_KEMBALI_IKU, revision=dossier.revision,
                     skpd=people["dinsos"].skpd, catatan="Formula belum terukur")
    dossier.refresh_from_db()
    with pytest.raises(GateError) as caught:
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    assert caught.value.messages == [
        "Bahan penyusunan IKU SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi: Dinas Sosial. "
        "Tunggu kiriman perbaikannya, atau catat SKPD tersebut sebagai belum mengirim untuk melanjutkan dengan "
        "tabel yang dikirimnya sebelum dibuka kembali.",
        "Bahan penyusunan IKU SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi, dan belum ada "
        "petugas (pengguna aktif berperan SKPD), sehingga perbaikannya tidak dapat dikirim lewat aplikasi: Dinas "
        "Kesehatan. Catat SKPD tersebut sebagai belum mengirim untuk melanjutkan dengan tabel yang dikirimnya "
        "sebelum dibuka kembali, atau minta admin menambahkan petugasnya (Admin › Pengguna) lalu tunggu kiriman "
        "perbaikannya."]
    form = text(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/"))
    assert "Dinas Kesehatan (dibuka kembali, belum dikirim lagi; belum ada petugas)" in form
    assert "Dinas Sosial (dibuka kembali, belum dikirim lagi)" in form
