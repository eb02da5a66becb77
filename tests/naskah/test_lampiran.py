"""A decree whose Lampiran runs to many pages, read back page by page: 200 real-shaped rows from 40
agencies on F4, every row once in the admin's order of agencies (not the alphabet's), the reference
with the decree's number and the header row on every page, no agency's name left alone at a page
foot, "(lanjutan)" over a page that continues an agency, the Governor's closing never alone on the
last page, and the whole under 30 pages. Also: the order as seeded and as the admin keeps it."""

import csv
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from naskah.models import OfficeProfile
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind, IkuStage

AGENCIES, ROWS = 40, 5

# Rows shaped like those of published IKU decrees: a Sasaran written once for the rows under it, an
# indicator of a line or two, a Penjelasan of a few sentences, a one-line Formula, short others.
REAL_ROWS = [
    {"sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat Kalimantan Barat",
     "indikator": "Persentase fasilitas pelayanan kesehatan milik pemerintah daerah yang terakreditasi",
     "penjelasan": "Indikator ini mengukur keberhasilan perangkat daerah dalam mendorong fasilitas pelayanan "
                   "kesehatan milik pemerintah daerah memenuhi standar akreditasi yang ditetapkan Kementerian "
                   "Kesehatan, sebagai ukuran mutu dan keselamatan layanan.",
     "formula": "Jumlah fasilitas pelayanan kesehatan terakreditasi dibagi jumlah seluruh fasilitas pelayanan "
                "kesehatan dikali 100%",
     "satuan": "persen", "target": "85 (tahun 2027)", "sumber_data": "Profil Kesehatan Provinsi Kalimantan Barat",
     "penanggung_jawab": "Bidang Pelayanan Kesehatan"},
    {"sasaran_strategis": "", "indikator": "Angka partisipasi kasar SMA/SMK/SLB",
     "penjelasan": "Mengukur daya tampung satuan pendidikan menengah terhadap penduduk usia sekolah; dipilih karena "
                   "menjadi kewenangan provinsi dan tercantum dalam RPJMD.",
     "formula": "Jumlah siswa SMA/SMK/SLB dibagi jumlah penduduk usia 16-18 tahun dikali 100%",
     "satuan": "persen", "target": "92,45 (akhir RPJMD 2026)", "sumber_data": "Dapodik Kemendikbudristek",
     "penanggung_jawab": "Bidang Pembinaan SMA"},
    {"sasaran_strategis": "Meningkatnya akuntabilitas kinerja dan tata kelola keuangan perangkat daerah",
     "indikator": "Nilai Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) perangkat daerah",
     "penjelasan": "Nilai hasil evaluasi SAKIP oleh Inspektorat menunjukkan sejauh mana perencanaan, pengukuran, "
                   "pelaporan dan evaluasi kinerja telah dilaksanakan secara terintegrasi dan berorientasi hasil.",
     "formula": "Nilai hasil evaluasi SAKIP", "satuan": "nilai", "target": "BB (77,5)",
     "sumber_data": "LHE SAKIP Inspektorat", "penanggung_jawab": "Sekretariat"},
    {"sasaran_strategis": "", "indikator": "Indeks kepuasan masyarakat terhadap pelayanan publik",
     "penjelasan": "Mengukur persepsi masyarakat atas mutu layanan yang diterima, diukur melalui survei sesuai "
                   "Permenpan RB Nomor 14 Tahun 2017.",
     "formula": "Rata-rata tertimbang nilai unsur pelayanan hasil survei kepuasan masyarakat",
     "satuan": "indeks", "target": "82,5", "sumber_data": "Laporan survei kepuasan masyarakat",
     "penanggung_jawab": "Sekretariat"},
    {"sasaran_strategis": "", "indikator": "Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti",
     "penjelasan": "Menunjukkan komitmen perangkat daerah menindaklanjuti temuan dan rekomendasi aparat pengawas "
                   "internal maupun eksternal tepat waktu, sehingga risiko kerugian daerah dapat ditekan.",
     "formula": "Jumlah rekomendasi yang ditindaklanjuti dibagi jumlah rekomendasi dikali 100%",
     "satuan": "persen", "target": "90", "sumber_data": "Laporan tindak lanjut hasil pemeriksaan",
     "penanggung_jawab": "Sekretariat"},
]


def marker(agency: int, row: int) -> str:
    return f"K{agency:02d}B{row:02d}X"


@pytest.fixture
def admin_order(db):
    """The seeded agencies and two more, placed by the admin: one between the Sekretariat Daerah and
    the DPRD's, one last whatever its name; the Dinas Kesehatan moved to the front."""
    Skpd.objects.create(nama="Badan Uji Antara Provinsi Kalimantan Barat", nama_pendek="Badan Uji Antara",
                        kind="Badan", order=15)
    Skpd.objects.create(nama="Aaa Unit Uji Terakhir Provinsi Kalimantan Barat", nama_pendek="Aaa Unit Uji Terakhir",
                        kind="Badan", order=1000)
    Skpd.objects.filter(nama_pendek="Dinas Kesehatan").update(order=5)
    agencies = list(Skpd.objects.active().in_order())
    assert len(agencies) == AGENCIES
    return agencies


@pytest.fixture
def big_decree(people, walk, admin_order):
    dossier = walk(STEP_BY_NUMBER[6].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    profile = OfficeProfile.current()
    profile.kertas = OfficeProfile.Kertas.F4
    profile.save()
    agencies = admin_order
    dossier.invited.add(*agencies)
    now = timezone.now()
    # Sent in alphabetical order and left unordered by the Kasubag: neither the sending nor the
    # name decides the place, the admin's order does.
    for skpd in sorted(agencies, key=lambda s: s.nama_pendek):
        k = agencies.index(skpd) + 1
        submission = IkuSubmission.objects.create(dossier=dossier, skpd=skpd, stage=IkuStage.BAHAN,
                                                  submitted_by=people["dinkes"], submitted_at=now, urutan=0)
        IkuRow.objects.bulk_create(
            IkuRow(submission=submission, urutan=j, **(REAL_ROWS[j - 1] | {
                "indikator": f"{REAL_ROWS[j - 1]['indikator']} {marker(k, j)}"}))
            for j in range(1, ROWS + 1))
    generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB)
    texts = pages(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
    # The table's header row is the Lampiran's alone.
    first = next(i for i, t in enumerate(texts) if "Penanggung Jawab" in t)
    return agencies, texts[first:]


def test_a_long_lampiran_prints_every_row_once_with_its_headings_kept(big_decree):
    # One render (40 agencies x 5 rows) read for every promise.
    every_row_is_printed_once_in_the_admins_order(big_decree)
    every_lampiran_page_carries_the_reference_and_the_header_row(big_decree)
    no_agency_name_is_left_alone_at_a_page_foot(big_decree)
    the_governors_closing_shares_its_page_with_the_last_rows(big_decree)
    a_page_that_continues_an_agency_says_so(big_decree)
    two_hundred_real_rows_take_under_thirty_pages_on_f4(big_decree)


def every_row_is_printed_once_in_the_admins_order(big_decree):
    agencies, lampiran = big_decree
    text = " ".join(lampiran)
    found = re.findall(r"K\d\dB\d\dX", text)
    assert found == [marker(k, j) for k in range(1, AGENCIES + 1) for j in range(1, ROWS + 1)]
    # Numbered throughout in that order.
    assert f"200 Persentase rekomendasi hasil pemeriksaan yang ditindaklanjuti {marker(AGENCIES, ROWS)}" in text
    named = [skpd.nama for skpd in agencies]
    assert sorted(named) != named
    assert [text.index(name) for name in named] == sorted(text.index(name) for name in named)
    assert named[0] == "Dinas Kesehatan Provinsi Kalimantan Barat"
    assert named[-1] == "Aaa Unit Uji Terakhir Provinsi Kalimantan Barat"


def every_lampiran_page_carries_the_reference_and_the_header_row(big_decree):
    _, lampiran = big_decree
    assert len(lampiran) >= 5
    for number, text in enumerate(lampiran, start=1):
        assert "LAMPIRAN KEPUTUSAN GUBERNUR KALIMANTAN BARAT" in text, number
        assert "NOMOR" in text and "TANGGAL" in text, number
        assert "Indikator Kinerja Utama" in text and "Penanggung Jawab" in text, number
        assert "KONSEP" in text, number


def no_agency_name_is_left_alone_at_a_page_foot(big_decree):
    agencies, lampiran = big_decree
    for k, skpd in enumerate(agencies, start=1):
        page = next(t for t in lampiran if skpd.nama in t and (marker(k, 1) in t or marker(k, 2) not in t))
        assert marker(k, 1) in page, skpd.nama


def the_governors_closing_shares_its_page_with_the_last_rows(big_decree):
    _, lampiran = big_decree
    last = lampiran[-1]
    assert "GUBERNUR KALIMANTAN BARAT," in last
    assert re.search(r"K\d\dB\d\dX", last)


def a_page_that_continues_an_agency_says_so(big_decree):
    agencies, lampiran = big_decree
    continued = 0
    for number, text in enumerate(lampiran, start=1):
        agency, row = map(int, re.search(r"K(\d\d)B(\d\d)X", text).groups())
        if row == 1:
            assert "(lanjutan)" not in text, number
        else:
            assert f"{agencies[agency - 1].nama} (lanjutan)" in text, number
            continued += 1
    assert continued >= 1


def two_hundred_real_rows_take_under_thirty_pages_on_f4(big_decree):
    # The columns are set for what they hold: a page of typical rows holds 8 to 12 of them (it held
    # 3 to 8 with a 33 mm Penjelasan: 41 pages for these rows).
    _, lampiran = big_decree
    assert len(lampiran) < 30
    assert 8 <= AGENCIES * ROWS / len(lampiran) <= 12, len(lampiran)


def test_agencies_are_seeded_in_the_order_of_the_perda_the_letters_used(db):
    with (settings.BASE_DIR / "fixtures" / "skpd_kalbar.csv").open(encoding="utf-8") as f:
        listed = [row["nama"] for row in csv.DictReader(f)]
    seeded = list(Skpd.objects.in_order())
    assert [skpd.nama_pendek for skpd in seeded[:3]] == ["Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat"]
    assert [skpd.nama.startswith(name) for skpd, name in zip(seeded, listed)] == [True] * len(listed)
    assert seeded[len(listed)].nama_pendek == "Biro Kesejahteraan Rakyat"
    assert [skpd.order for skpd in seeded] == [10 * n for n in range(1, len(seeded) + 1)]


def test_the_admin_lists_agencies_in_their_order_and_places_a_new_one_last(people, admin_order):
    admin = Client()
    admin.force_login(people["admin"])
    page = admin.get("/admin/workflow/skpd/").content.decode()
    shown = [page.index(f">{skpd.nama_pendek}<") for skpd in admin_order]
    assert shown == sorted(shown)
    assert 'name="form-0-order"' in page  # renumbered in the list itself
    added = admin.get("/admin/workflow/skpd/add/").content.decode()
    assert 'name="order" value="1010"' in added
