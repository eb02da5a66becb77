"""A round opened for the wrong year and corrected (the Kasubag's "Koreksi judul dan tahun") keeps
the Undangan made before: its Hal and Acara said 2026 while its body, printed from the round, said
2027, and finishing step 1 signed it so. What a document is about names the round's year."""

import pytest

from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import form_data, generate, pages
from workflow import demo
from workflow.gates import GateError
from workflow.steps import STEP_BY_NUMBER, DocKind


@pytest.fixture
def corrected(people):
    """A round opened for 2026, its Undangan made, then corrected to 2027, ready to finish step 1."""
    dossier = demo.open_dossier(people, 2026, "Penetapan Indikator Kinerja Utama Tahun 2026")
    assert generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN).status_code == 302
    for kind in STEP_BY_NUMBER[1].requires:
        demo.upload(dossier, people["staf"], kind)
    dossier.refresh_from_db()
    response = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/koreksi_dosier/", {
        "tahun": "2027", "judul": "Penetapan Indikator Kinerja Utama Tahun 2027", "alasan": "Salah tahun.",
        "revision": dossier.revision, "state": dossier.state})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.tahun == 2027
    return dossier


def test_the_draft_made_for_the_old_year_is_not_signed(people, corrected):
    with pytest.raises(GateError) as refused:
        demo.finish(corrected, people["kasubag"])
    assert refused.value.messages == [
        "Undangan workshop menyebut Tahun 2026 pada Hal, tetapi Tahun IKU dosier ini 2027: buat versi baru Undangan "
        "workshop dengan tahun yang benar, lalu selesaikan langkah ini.",
        "Undangan workshop menyebut Tahun 2026 pada Acara, tetapi Tahun IKU dosier ini 2027: buat versi baru Undangan "
        "workshop dengan tahun yang benar, lalu selesaikan langkah ini."]
    corrected.refresh_from_db()
    assert corrected.state == STEP_BY_NUMBER[1].state
    assert not record.latest(corrected, DocKind.UNDANGAN).is_final


def test_the_next_version_is_asked_for_the_rounds_year_and_signed_with_it(people, corrected):
    staf = client_for(people, "staf")
    # The new version starts from what the last one said: the old year, said beside each field.
    page = staf.get(f"/dosier/{corrected.pk}/buat/{DocKind.UNDANGAN}/").content.decode()
    assert "Penyusunan Indikator Kinerja Utama Tahun 2026" in page
    kept = record.latest(corrected, DocKind.UNDANGAN).isian
    response = staf.post(f"/dosier/{corrected.pk}/buat/{DocKind.UNDANGAN}/", form_data(corrected, DocKind.UNDANGAN) | {
        "hal": kept["hal"], "acara": kept["acara"]})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["hal"] == ["Hal menyebut Tahun 2026, tetapi dosier ini untuk Tahun IKU 2027: samakan tahunnya."]
    assert errors["acara"] == ["Acara menyebut Tahun 2026, tetapi dosier ini untuk Tahun IKU 2027: samakan tahunnya."]
    assert generate(staf, corrected, DocKind.UNDANGAN).status_code == 302
    demo.finish(corrected, people["kasubag"])
    made = record.latest(corrected, DocKind.UNDANGAN)
    text = pages(record.served_bytes(made))[0]
    assert "Hal : Undangan Workshop Penyusunan Indikator Kinerja Utama Tahun 2027" in text
    assert "Perangkat Daerah Tahun 2027 Mengingat" in text
