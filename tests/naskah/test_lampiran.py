"""A decree whose Lampiran runs to many pages, read back page by page: every row once and in the
CSV's order, the reference with the decree's number and the header row on every page, no agency's
name left alone at a page foot, "(lanjutan)" over a page that continues an agency, the Governor's
closing never alone on the last page."""

import re

import pytest
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind, IkuStage

AGENCIES, ROWS = 20, 10


def marker(agency: int, row: int) -> str:
    return f"K{agency:02d}B{row:02d}X"


@pytest.fixture
def big_decree(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    agencies = list(Skpd.objects.active().order_by("pk")[:AGENCIES])
    dossier.invited.add(*agencies)
    now = timezone.now()
    for k, skpd in enumerate(agencies, start=1):
        submission = IkuSubmission.objects.create(dossier=dossier, skpd=skpd, stage=IkuStage.BAHAN,
                                                  submitted_by=people["dinkes"], submitted_at=now, urutan=k)
        IkuRow.objects.bulk_create(IkuRow(
            submission=submission, urutan=j, sasaran_strategis=f"Meningkatnya mutu layanan publik sasaran {j}",
            indikator=f"Persentase layanan yang memenuhi standar pelayanan minimal {marker(k, j)}",
            penjelasan="Mengukur capaian standar pelayanan minimal yang menjadi kewenangan daerah",
            formula=("Jumlah layanan sesuai SPM dibagi jumlah layanan dikali 100 persen" if j != 5 else
                     "https://data.kalbarprov.go.id/dataset/" + "x" * 120),
            satuan="persen", target=f"{80 + j},5 (tahun 2027)", sumber_data="Laporan SPM tahunan",
            penanggung_jawab="Sekretariat") for j in range(1, ROWS + 1))
    generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB)
    texts = pages(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
    # The table's header row is the Lampiran's alone.
    first = next(i for i, t in enumerate(texts) if "Penanggung Jawab" in t)
    return agencies, texts[first:]


def test_a_long_lampiran_prints_every_row_once_with_its_headings_kept(big_decree):
    # One render (20 agencies x 10 rows) read for four promises.
    every_row_is_printed_once_in_order(big_decree)
    every_lampiran_page_carries_the_reference_and_the_header_row(big_decree)
    no_agency_name_is_left_alone_at_a_page_foot(big_decree)
    the_governors_closing_shares_its_page_with_the_last_rows(big_decree)
    a_page_that_continues_an_agency_says_so(big_decree)


def every_row_is_printed_once_in_order(big_decree):
    _, lampiran = big_decree
    text = " ".join(lampiran)
    found = re.findall(r"K\d\dB\d\dX", text)
    assert found == [marker(k, j) for k in range(1, AGENCIES + 1) for j in range(1, ROWS + 1)]


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
