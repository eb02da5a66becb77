"""The letters made at steps 1, 2 and 4, read back from the PDF as the addressee would read them:
kop, number, place and date, Yth., the signature block (a.n., Plh., spaced NIP), the Lampiran."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from lib.dates import long_date
from lib.terbilang import terbilang
from naskah.content import pimpinan
from naskah.models import SerialCounter
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow import demo, services
from workflow.models import Delegation, Skpd
from workflow.roles import DelegationKind, Role
from workflow.steps import STEP_BY_NUMBER, DocKind

KOP = ("PEMERINTAH PROVINSI KALIMANTAN BARAT", "SEKRETARIAT DAERAH", "BIRO KESEJAHTERAAN RAKYAT",
       "Jalan Ahmad Yani, Pontianak 78124")


@pytest.fixture
def many_invited(people):
    """A dossier at step 1 inviting more agencies than a letter lists by name."""
    invited = list(Skpd.objects.active().order_by("pk")[:5]) + [people["dinkes"].skpd]
    return services.create_dossier(people["kasubag"], tahun=2027, judul="Undangan banyak SKPD", invited=invited)


def test_the_invitation_reads_like_a_letter_with_its_lampiran(people, many_invited):
    dossier = many_invited
    response = generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert response.status_code == 302
    first, *rest = pages(stored_pdf(dossier, DocKind.UNDANGAN))
    for line in KOP:
        assert line in first
    year = timezone.localdate().year
    assert f"Nomor : 000.1.5/1/Kesra/{year}" in first
    assert f"Pontianak, {long_date(timezone.localdate())} " in first + " "
    assert f"Pontianak, {long_date(timezone.localdate())}." not in first
    assert "Yth. Kepala Perangkat Daerah Provinsi Kalimantan Barat (daftar terlampir)" in first
    assert "hari/tanggal :" in first and "waktu : 09.00 WIB s.d. selesai" in first
    # Step 1: the Kasubag signs for the Kabiro (docs/domain.md, "The nine steps and who acts").
    assert "a.n. KEPALA BIRO KESEJAHTERAAN RAKYAT KEPALA SUBBAGIAN TATA USAHA," in first
    assert "Rina Marlina, S.E., M.Si. Penata Tingkat I (III/d) NIP. 19820315 200604 2 003" in first
    lampiran = " ".join(rest)
    assert "LAMPIRAN SURAT KEPALA BIRO KESEJAHTERAAN RAKYAT" in lampiran
    for agency in dossier.invited.all():
        assert pimpinan(agency) in lampiran, agency.nama
    assert "Sekretaris Daerah Provinsi Kalimantan Barat" in lampiran  # its head, not "Kepala Sekretariat"


def test_a_few_agencies_are_addressed_by_name_without_a_lampiran(people, dossier):
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))
    assert len(text) == 1
    assert "Yth." in text[0] and "(daftar terlampir)" not in text[0]
    for agency in dossier.invited.all():
        assert pimpinan(agency) in text[0]
    assert "Lampiran : -" in text[0]


def test_a_plh_kasubag_signs_with_the_prefix_and_their_own_nip(people, dossier):
    today = timezone.localdate()
    Delegation.objects.create(official=people["kasubag"], delegate=people["staf"], role=Role.KASUBAG,
                              kind=DelegationKind.PLH, starts_on=today, ends_on=today)
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))[0]
    assert "a.n. KEPALA BIRO KESEJAHTERAAN RAKYAT Plh. KEPALA SUBBAGIAN TATA USAHA," in text
    assert "Andi Saputra, S.Kom. Penata Muda (III/a) NIP. 19910710 201903 1 008" in text


def test_numbers_follow_the_pattern_keep_across_drafts_and_count_per_kind_and_year(people):
    client = client_for(people, "staf")
    year = timezone.localdate().year
    # Opened last December, for a letter dated in last year's book below.
    opened = timezone.make_aware(dt.datetime(year - 1, 12, 29, 9, 0))
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Penetapan IKU 2027",
                                      invited=[people["dinkes"].skpd], at=opened)
    generate(client, dossier, DocKind.UNDANGAN)
    # Made again before it is sent: the same letter, the same number, a new version.
    generate(client, dossier, DocKind.UNDANGAN)
    # Dated last year (a letter numbered in last year's book): that year's counter starts at 1.
    generate(client, dossier, DocKind.UNDANGAN, tanggal_surat=dt.date(year - 1, 12, 30).isoformat(),
             tanggal_acara=dt.date(year - 1, 12, 31).isoformat())
    other = services.create_dossier(people["kasubag"], tahun=2027, judul="Putaran lain", invited=[people["dinkes"].skpd])
    generate(client, other, DocKind.UNDANGAN)
    made = list(dossier.documents.filter(generated=True).order_by("pk"))
    assert [d.keterangan for d in made] == [
        f"000.1.5/1/Kesra/{year}", f"000.1.5/1/Kesra/{year}", f"000.1.5/1/Kesra/{year - 1}",
    ]
    assert [d.naskah.versi for d in made] == [1, 2, 3]
    assert made[1].original_name == f"Undangan-2027-000.1.5-1-Kesra-{year}-v2.pdf"
    assert other.documents.get(generated=True).keterangan == f"000.1.5/2/Kesra/{year}"
    assert all(d.content_type == "application/pdf" and d.step == 1 for d in made)
    assert SerialCounter.objects.get(kind=DocKind.UNDANGAN, tahun=year).terakhir == 2


def test_the_counter_is_one_per_kind_and_year(db):
    with transaction.atomic():
        taken = [SerialCounter.next("undangan", 2027), SerialCounter.next("undangan", 2027),
                 SerialCounter.next("surat_skpd", 2027), SerialCounter.next("undangan", 2028)]
    assert taken == [1, 2, 1, 1]


def test_a_generated_invitation_satisfies_the_gate_like_an_upload(people, dossier):
    for kind in STEP_BY_NUMBER[1].requires:
        demo.upload(dossier, people["staf"], kind)
    dossier.refresh_from_db()
    with pytest.raises(Exception, match="Undangan"):
        demo.finish(dossier, people["kasubag"])
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    demo.finish(dossier, people["kasubag"])
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[2].state
    event = dossier.events.filter(action="unggah_dokumen").last()
    assert event.actor == people["staf"] and "Undangan" in event.note


def test_the_minutes_carry_both_signatures(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN, waktu_ditutup="11:30")
    text = pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN))[0]
    assert "NOTULEN RAPAT" in text and "Nomor: 000.1.5/1/Kesra-TU/" in text
    assert "Rapat ditutup pukul 11.30 WIB." in text
    assert "Pencatat," in text and "Pimpinan Rapat," in text
    assert "NIP. 19910710 201903 1 008" in text and "NIP. 19820315 200604 2 003" in text


def test_the_letter_to_the_agencies_is_signed_by_the_kabiro(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), dossier, DocKind.SURAT_SKPD)
    text = pages(stored_pdf(dossier, DocKind.SURAT_SKPD))[0]
    assert "Biro Kesejahteraan Rakyat" in text and "mengoordinasikan" in text
    assert "a.n." not in text
    assert "KEPALA BIRO KESEJAHTERAAN RAKYAT, Dr. H. Syarif Abdullah, M.Si." in text
    assert "NIP. 19660801 198803 1 001" in text


def test_the_lampiran_count_is_the_sheets_the_list_really_takes(people):
    invited = list(Skpd.objects.active().order_by("pk"))
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Semua SKPD", invited=invited)
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))
    sheets = len(text) - next(i for i, t in enumerate(text) if "DAFTAR PERANGKAT DAERAH YANG DITUJU" in t)
    assert sheets >= 2
    assert f"Lampiran : {sheets} ({terbilang(sheets)}) lembar" in text[0]


@pytest.mark.parametrize("typed, printed, absent", [
    ("Sekretaris Daerah Provinsi Kalimantan Barat\n\nInspektur Provinsi Kalimantan Barat",
     ["Tembusan: Yth. Sekretaris Daerah Provinsi Kalimantan Barat Yth. Inspektur Provinsi Kalimantan Barat"], ""),
    ("", [], "Tembusan"),
])
def test_the_tembusan_is_what_the_officer_typed(people, dossier, typed, printed, absent):
    form = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/buat/{DocKind.UNDANGAN}/").content.decode()
    assert "Kepala Biro Kesejahteraan Rakyat (sebagai laporan)" in form  # the suggestion it starts with
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN, tembusan=typed)
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))[0]
    assert all(phrase in text for phrase in printed)
    assert not absent or absent not in text


def test_counts_in_words():
    assert [terbilang(n) for n in (1, 2, 11, 12, 20, 21, 100, 115, 999)] == [
        "satu", "dua", "sebelas", "dua belas", "dua puluh", "dua puluh satu", "seratus", "seratus lima belas",
        "sembilan ratus sembilan puluh sembilan"]
