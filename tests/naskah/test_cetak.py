"""The Nota Dinas and the draft decree of step 6, printed as they stand: the paraf boxes fill as
steps 6 and 7 finish (a Plh. named as such), the Kabiro's electronic signature is on it once step 8 is done, and
the decree's Lampiran lists the agencies' IKU."""

from django.utils import timezone

from lib.dates import long_date
from lib.terbilang import terbilang
from naskah import pades
from tests.factories import client_for
from tests.naskah.helpers import cetak_pdf, generate, pages
from workflow import demo
from workflow.models import Delegation
from workflow.roles import DelegationKind, Role
from workflow.steps import STEP_BY_NUMBER, DocKind


def cetak(people, dossier, kind, username="kabag") -> list[str]:
    return pages(cetak_pdf(people, dossier, kind, username))


def test_the_nota_gains_its_paraf_and_signature_step_by_step(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    assert generate(kasubag, dossier, DocKind.NOTA_DINAS).status_code == 302
    assert generate(kasubag, dossier, DocKind.DRAFT_KEPGUB).status_code == 302
    today = long_date(timezone.localdate())

    nota = " ".join(cetak(people, dossier, DocKind.NOTA_DINAS))
    nomor = dossier.documents.get(kind=DocKind.NOTA_DINAS, generated=True).keterangan
    for label in ("Yth. : Asisten Pemerintahan dan Kesejahteraan Rakyat", "Dari : Kepala Biro Kesejahteraan Rakyat",
                  f"Nomor : {nomor}", "Sifat : Biasa", "Lampiran : 1 (satu) berkas", "Hal : Penyampaian Draft"):
        assert label in nota, label
    assert "Paraf hierarki" in nota and "(Kasubag)" not in nota and "Telah ditandatangani" not in nota
    # Counts written as an official letter writes them.
    agencies = dossier.submissions.filter(stage="bahan", submitted_at__isnull=False).count()
    assert f"dari {agencies} ({terbilang(agencies)}) Perangkat Daerah dengan" in nota

    demo.finish(dossier, people["kasubag"])  # the generated Nota and draft satisfy step 6's gate
    nota = " ".join(cetak(people, dossier, DocKind.NOTA_DINAS))
    assert f"Rina Marlina, S.E., M.Si. (Kasubag) {today}" in nota
    assert "(Kabag)" not in nota and "Plh. Kabag" not in nota

    # The Kabag is away: the Tim member stands in as Plh. and parafs in that capacity.
    day = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role=Role.KABAG,
                              kind=DelegationKind.PLH, starts_on=day, ends_on=day)
    demo.finish(dossier, people["tim"])
    nota = " ".join(cetak(people, dossier, DocKind.NOTA_DINAS))
    assert "Plh. Kabag Yuliana Putri, S.Sos." in nota and "atas nama" not in nota
    assert "Telah ditandatangani" not in nota

    demo.finish(dossier, people["kabiro"])
    signed = cetak_pdf(people, dossier, DocKind.NOTA_DINAS)
    nota = " ".join(pages(signed))
    [stamp] = pades.validate(signed)
    # Signed electronically by the Kabiro today, the stamp in the block's free space.
    assert stamp.sah and "Syarif Abdullah" in stamp.penanda and today in stamp.waktu
    assert "KEPALA BIRO KESEJAHTERAAN RAKYAT," in nota and "NIP. 19660801 198803 1 001" in nota

    decree = cetak(people, dossier, DocKind.DRAFT_KEPGUB, username="staf")
    body, lampiran = " ".join(decree[:-1]), decree[-1]
    for part in ("KEPUTUSAN GUBERNUR KALIMANTAN BARAT", "TENTANG PENETAPAN INDIKATOR KINERJA UTAMA",
                 "TAHUN 2027", "Menimbang", "Mengingat", "Undang-Undang Nomor 23 Tahun 2014", "MEMUTUSKAN:",
                 "Menetapkan", "KESATU", "KEDUA", "Ditetapkan di Pontianak pada tanggal", "GUBERNUR KALIMANTAN BARAT,"):
        assert part in body, part
    assert "NIP" not in body.split("GUBERNUR KALIMANTAN BARAT,")[-1]  # the Governor's block has no NIP
    assert "(Kabiro)" in body  # the Kabiro's paraf on the draft, after step 8
    assert "LAMPIRAN KEPUTUSAN GUBERNUR KALIMANTAN BARAT NOMOR :" in lampiran and "TANGGAL :" in lampiran
    for column in ("No", "Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan",
                   "Formula/Cara Pengukuran", "Satuan", "Target", "Sumber Data", "Penanggung Jawab"):
        assert column in lampiran, column
    for agency in ("Dinas Kesehatan", "Dinas Sosial"):
        assert f"{agency} Provinsi Kalimantan Barat" in lampiran
        assert f"Indeks kepuasan masyarakat terhadap layanan {agency}" in lampiran


def test_a_nota_made_again_after_a_return_starts_with_empty_boxes(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS)
    nota = " ".join(cetak(people, dossier, DocKind.NOTA_DINAS))
    # The first round's Kasubag paraf was on the returned Nota, not on this one.
    assert "(Kasubag)" not in nota


def test_the_decree_shows_its_number_once_the_governor_signed(people, walk):
    dossier = walk("selesai")
    lampiran = cetak(people, dossier, DocKind.DRAFT_KEPGUB)[-1]
    assert f"NOMOR : {dossier.nomor_kepgub}" in lampiran
    assert f"TANGGAL : {long_date(dossier.tanggal_kepgub)}" in lampiran
