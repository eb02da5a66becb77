"""A second round of a year (the Governor asks the year's IKU revised after its decree): its draft
decree and Nota amend the decree in force, cite it by number and date, and keep the IKU of the
agencies it does not list; a year's first round still sets the year's IKU."""

from lib.dates import long_date
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow.models import Dossier
from workflow.steps import SELESAI, STEP_BY_NUMBER, DocKind


def printed(dossier, kind) -> str:
    # (The PDF's text breaks a line after the number's slashes: read back whole.)
    return " ".join(pages(stored_pdf(dossier, kind))).replace("/ ", "/")


def test_a_revisions_draft_decree_and_nota_amend_the_decree_in_force(people, walk):
    first = walk(SELESAI, judul="Penetapan IKU 2027")
    cited = f"Keputusan Gubernur Kalimantan Barat Nomor {first.nomor_kepgub} tanggal {long_date(first.tanggal_kepgub)}"
    revision = walk(STEP_BY_NUMBER[6].state, judul="Perubahan IKU 2027")
    kasubag = client_for(people, "kasubag")
    assert generate(kasubag, revision, DocKind.DRAFT_KEPGUB).status_code == 302
    assert generate(kasubag, revision, DocKind.NOTA_DINAS).status_code == 302

    decree = printed(revision, DocKind.DRAFT_KEPGUB)
    assert (f"TENTANG PERUBAHAN ATAS KEPUTUSAN GUBERNUR KALIMANTAN BARAT NOMOR {first.nomor_kepgub} TENTANG "
            "PENETAPAN INDIKATOR KINERJA UTAMA PERANGKAT DAERAH PROVINSI KALIMANTAN BARAT TAHUN 2027") in decree
    assert ("bahwa Indikator Kinerja Utama Perangkat Daerah Provinsi Kalimantan Barat Tahun 2027 telah ditetapkan "
            f"dengan {cited};") in decree
    assert (f"KESATU : Mengubah Indikator Kinerja Utama Perangkat Daerah Provinsi Kalimantan Barat Tahun 2027 "
            f"sebagaimana ditetapkan dengan {cited}, bagi Perangkat Daerah yang tercantum dalam Lampiran") in decree
    assert "KEDUA : Indikator Kinerja Utama Perangkat Daerah yang tidak tercantum dalam Lampiran" in decree
    assert "KELIMA : Keputusan Gubernur ini mulai berlaku pada tanggal ditetapkan." in decree
    assert "Menetapkan Indikator Kinerja Utama" not in decree

    nota = printed(revision, DocKind.NOTA_DINAS)
    assert f"Hal : Penyampaian Draft Keputusan Gubernur tentang Perubahan atas Keputusan Gubernur Kalimantan Barat Nomor {first.nomor_kepgub}" in nota
    assert f"Dalam rangka perubahan Indikator Kinerja Utama (IKU) Perangkat Daerah Provinsi Kalimantan Barat Tahun 2027 yang telah ditetapkan dengan {cited}" in nota
    assert "Keputusan Gubernur Kalimantan Barat tentang Perubahan atas Keputusan Gubernur Kalimantan Barat Nomor" in nota


def test_a_years_first_round_still_sets_the_years_iku(people, walk):
    last_year = walk(SELESAI, judul="Penetapan IKU 2026")
    Dossier.objects.filter(pk=last_year.pk).update(tahun=2026)
    dossier = walk(STEP_BY_NUMBER[6].state)
    assert generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB).status_code == 302
    decree = printed(dossier, DocKind.DRAFT_KEPGUB)
    assert "KESATU : Menetapkan Indikator Kinerja Utama Perangkat Daerah Provinsi Kalimantan Barat Tahun 2027" in decree
    assert "PERUBAHAN" not in decree and "telah ditetapkan dengan" not in decree
