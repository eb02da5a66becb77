"""A table the Kasubag reopens for an agency says what the bureau did to it since the agency's last
send: the cells corrected (from what to what), the comments and the rows left out of the provincial
table, which the grid would otherwise hold without a word."""

import re

from iku.models import IkuRow
from tests.factories import client_for
from tests.iku.test_consolidation import act
from tests.iku.test_round import send
from workflow.steps import STEP_BY_NUMBER

ROWS = [{"sasaran_strategis": "Meningkatnya derajat kesehatan", "indikator": "Angka kematian ibu", "target": "150"},
        {"indikator": "Prevalensi stunting", "target": "14"},
        {"indikator": "Indeks kepuasan layanan", "target": "80"}]


def reopen(people, dossier, skpd):
    dossier.refresh_from_db()
    client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/", {
        "revision": dossier.revision, "state": dossier.state, "skpd": skpd.pk, "catatan": "Periksa perubahan Biro"})


def said(page: str) -> list[str]:
    found = re.search(r'<ul class="bureau-changes">(.*?)</ul>', page, re.S)
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []


def test_the_agency_reads_what_the_bureau_changed_when_its_table_is_reopened(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    dinkes = people["dinkes"].skpd
    reopen(people, dossier, dinkes)
    send(people, dossier, "dinkes", ROWS)
    rows = {row.indikator: row for row in IkuRow.objects.filter(
        submission__dossier=dossier, submission__skpd=dinkes, submission__stage="bahan")}
    stunting = rows["Prevalensi stunting"]
    act(people, dossier, op="ubah", baris=stunting.pk, **stunting.as_dict() | {"target": "13,5 (2027)"})
    act(people, dossier, op="komentar", baris=rows["Angka kematian ibu"].pk, teks="Sebutkan tahun dasar")
    act(people, dossier, op="keluarkan", baris=rows["Indeks kepuasan layanan"].pk, teks="Bukan IKU dinas")
    agency = client_for(people, "dinkes")
    assert said(agency.get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()) == []  # not reopened: no list

    reopen(people, dossier, dinkes)
    page = agency.get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").content.decode()
    assert "Biro Kesra mengubah atau menandai 3 baris" in page
    assert said(page) == [
        "“Angka kematian ibu”: komentar: “Sebutkan tahun dasar”",
        "“Prevalensi stunting”: Target diubah dari “14” menjadi “13,5 (2027)”",
        "“Indeks kepuasan layanan”: dikeluarkan dari tabel IKU Provinsi: “Bukan IKU dinas”",
    ]
    # Sent again, the list is gone: the rows sent are the agency's own.
    send(people, dossier, "dinkes", ROWS[:2])
    reopen(people, dossier, dinkes)
    page = agency.get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").content.decode()
    assert "Periksa perubahan Biro" in page and said(page) == []
