"""A Sasaran written once over the rows under it (a blank Sasaran continues the one above) is still
named on every page of the decree's Lampiran that begins inside its group: an agency of 40 rows,
four per Sasaran, read back page by page, each page's first row under its Sasaran and each Sasaran
printed once on a page, as a merged cell is. A group with a row too tall to keep whole prints its
Sasaran in every row instead; a lone row and a row without a Sasaran print as typed."""

import io
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pypdf import PdfReader

from iku.columns import COLUMNS
from iku.models import IkuRow, IkuSubmission
from naskah import content
from naskah.models import OfficeProfile
from naskah.render import render_pdf
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from tests.naskah.test_lampiran import REAL_ROWS
from tests.naskah.test_lampiran_layout import MENGINGAT
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind, IkuStage

ROW = re.compile(r"\bB(\d\d)Z\b")
SASARAN = re.compile(r"\bS(\d\d)Q\b")


def shaped(number: int, sasaran: int | None, **texts) -> dict:
    """A row of a published table's shape, its indicator marked "B07Z", its Sasaran "S02Q ..." or
    blank (continuing the one above)."""
    row = REAL_ROWS[(number % 2) * 2]
    return row | {
        "sasaran_strategis": f"S{sasaran:02d}Q {row['sasaran_strategis']}" if sasaran else "",
        "indikator": f"{row['indikator']} B{number:02d}Z"} | texts


def each_page_names_the_sasaran_of_its_first_row(lampiran: list[str], sasaran_of: dict[int, int]) -> int:
    """Checks every page on which a row begins; returns how many begin inside a group."""
    inside = 0
    for page, text in enumerate(lampiran, start=1):
        rows = [int(n) for n in ROW.findall(text)]
        if not rows:
            continue
        first = rows[0]
        named = f"S{sasaran_of[first]:02d}Q"
        assert named in text, (page, first)
        # Above the row, as its cell is read: the Sasaran's text comes before the row's.
        assert text.index(named) < text.index(f"B{first:02d}Z"), (page, first)
        inside += first != min(n for n, s in sasaran_of.items() if s == sasaran_of[first])
    return inside


@pytest.fixture
def forty_rows(people, walk):
    """The tester's agency: 40 rows sent for the Bahan, a Sasaran written once every four rows; the
    draft decree made at step 6 as the Kasubag makes it."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    skpd = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    submission = IkuSubmission.objects.create(dossier=dossier, skpd=skpd, stage=IkuStage.BAHAN,
                                              submitted_by=people["dinkes"], submitted_at=timezone.now())
    IkuRow.objects.bulk_create(
        IkuRow(submission=submission, urutan=n, **shaped(n, (n - 1) // 4 + 1 if n % 4 == 1 else None))
        for n in range(1, 41))
    generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB)
    texts = pages(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
    first = next(i for i, t in enumerate(texts) if "Penanggung Jawab" in t)
    return texts[first:]


def test_every_lampiran_page_names_the_sasaran_of_the_rows_it_begins_with(forty_rows):
    sasaran_of = {n: (n - 1) // 4 + 1 for n in range(1, 41)}
    assert len(forty_rows) >= 4
    # Pages that begin inside a group (the tester's page 4) are the point; with these rows most do.
    assert each_page_names_the_sasaran_of_its_first_row(forty_rows, sasaran_of) >= 2
    for page, text in enumerate(forty_rows, start=1):
        # Written once over its rows on a page, not again beside each of them.
        for sasaran in set(SASARAN.findall(text)):
            assert text.count(f"S{sasaran}Q") == 1, (page, sasaran)
    assert [int(n) for n in ROW.findall(" ".join(forty_rows))] == list(range(1, 41))


def decree_context(rows: list[dict], kertas: str) -> dict:
    submission = IkuSubmission(skpd=Skpd(nama="Dinas Uji Provinsi Kalimantan Barat", nama_pendek="Dinas Uji",
                                         order=10), urutan=0)
    made = [IkuRow(submission=submission, urutan=n, **row) for n, row in enumerate(rows, start=1)]
    groups = content.lampiran_groups(made)
    kop = OfficeProfile(kertas=kertas)
    return {"kop": kop, "dossier": SimpleNamespace(tahun=2027), "nomor": "", "kota": kop.kota, "konsep": True,
            "iku": groups, "jumlah_iku": len(made), "jumlah_skpd": 1, "lebar_kolom": content.LEBAR_KOLOM,
            "kolom": [label for _, label in COLUMNS], "tentang": "PENETAPAN IKU", "tentang_judul": "Penetapan IKU",
            "nomor_kepgub": "", "tanggal_kepgub": "", "mengingat": MENGINGAT, "gubernur": "Gubernur Uji",
            "paraf": []}


def lampiran_of(pdf: bytes) -> list[str]:
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    return texts[next(i for i, t in enumerate(texts) if "Penanggung Jawab" in t):]


@pytest.mark.parametrize("kertas", ["A4", "F4"])
def test_a_long_sasaran_over_short_rows_and_a_group_with_a_row_too_tall_for_a_page(db, kertas):
    long_sasaran = " ".join(["Meningkatnya kualitas tata kelola pemerintahan yang akuntabel"] * 4)
    rows, sasaran_of, sasaran = [], {}, 0
    for n in range(1, 49):
        if n % 6 == 1:
            sasaran += 1
        texts = {}
        if sasaran % 2 == 0:
            # Terse rows under a Sasaran of several lines: the Sasaran is the tallest cell of the group.
            texts = {"sasaran_strategis": f"S{sasaran:02d}Q {long_sasaran}" if n % 6 == 1 else "",
                     "penjelasan": "", "formula": "Nilai", "sumber_data": "LHE"}
        if n == 15:
            # Too tall to keep whole: it breaks across pages, and its group prints its Sasaran in every row.
            texts["penjelasan"] = "Uraian capaian kinerja urusan pemerintahan. " * 40
        rows.append(shaped(n, sasaran if n % 6 == 1 else None, **texts))
        sasaran_of[n] = sasaran
    context = decree_context(rows, kertas)
    [agency] = context["iku"]
    assert [group.repeated for group in agency["sasaran"]] == [True, True, False, True, True, True, True, True]
    lampiran = lampiran_of(render_pdf("naskah/draft_kepgub.html", context))
    assert each_page_names_the_sasaran_of_its_first_row(lampiran, sasaran_of) >= 2
    text = " ".join(lampiran)
    assert [int(n) for n in ROW.findall(text)] == list(range(1, 49))
    # The group with the long row: its Sasaran beside each of its six rows.
    assert text.count("S03Q") == 6


def test_a_lone_row_and_rows_without_a_sasaran_print_as_typed(db):
    rows = [shaped(1, None), shaped(2, None), shaped(3, 1), shaped(4, 2), shaped(5, None)]
    submission = IkuSubmission(skpd=Skpd(nama="Dinas Uji", order=1), urutan=0)
    [agency] = content.lampiran_groups(
        [IkuRow(submission=submission, urutan=n, **row) for n, row in enumerate(rows, start=1)])
    printed = [(group.sasaran[:4], group.repeated, [(b.number, b.sasaran[:4], b.room_only) for b in group.rows])
               for group in agency["sasaran"]]
    assert printed == [
        ("", False, [(1, "", False), (2, "", False)]),
        ("S01Q", False, [(3, "S01Q", False)]),
        ("S02Q", True, [(4, "", True), (5, "", True)]),
    ]
