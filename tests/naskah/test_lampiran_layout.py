"""The Lampiran at any length the app accepts, read back page by page with pypdf: rows with every
field at its maximum (iku.rows.LIMITS) break inside their cells under a repeated header row, no
page is without a row, no agency's name ends a page; the page number stays one line beside the
running reference and a long agency's name. The letters' list of addressees repeats the
letter's reference and its header row on every page; addressees are titled from their agency, in
the admin's order, never the bureau itself, and never also in the Tembusan.

The documents are rendered once per paper from a context built here, without the database."""

import importlib
import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from iku.columns import COLUMNS
from iku.models import IkuRow, IkuSubmission
from iku.rows import LIMITS
from lib.terbilang import terbilang
from naskah import content
from naskah.forms import SuratSkpdForm, UndanganForm
from naskah.models import OfficeProfile
from naskah.render import render_pdf
from naskah.signature import Tandatangan
from tests.naskah.test_lampiran import REAL_ROWS
from workflow import services
from workflow.models import Skpd

HEADER = ("No", "Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan", "Formula/Cara Pengukuran",
          "Satuan", "Target", "Sumber Data", "Penanggung", "Jawab")
TOKEN = re.compile(r"\bR(\d\d)Z\b")
# A page number as one line: squeezed by the references beside it, it printed "- 3" over "-".
PAGE_NUMBER = re.compile(r"- \d+ -")


def token(row: int) -> str:
    return f"R{row:02d}Z"


def at_most(name: str, row: int) -> str:
    """A text of exactly the field's maximum length, in words, the row's token every few words so
    that any piece of the row a page holds names it."""
    words = f"{token(row)} capaian kinerja urusan pemerintahan daerah provinsi "
    return (words * (LIMITS[name] // len(words) + 1))[: LIMITS[name]].strip() + "."


def longest(row: int) -> dict:
    texts = {name: at_most(name, row) for name, _ in COLUMNS}
    if row == 4:
        # A pasted link: one word of 2,000 characters, broken inside its column.
        texts["formula"] = f"{token(row)} " + ("https://data.kalbarprov.go.id/" + "x" * 2000)[: LIMITS["formula"] - 5]
    return texts


def typical(row: int) -> dict:
    shaped = REAL_ROWS[row % len(REAL_ROWS)]
    return shaped | {"indikator": f"{shaped['indikator']} {token(row)}"}


# Agency by agency, which rows are at the maximum: the title's first row (the blank page under the
# title), a long row after a short one (mid-page), an agency starting with one (its name alone). The
# first has a real long name, which each page it continues on prints beside the page number.
AGENCIES = [
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Kalimantan Barat", [longest, typical, longest]),
    ("Rumah Sakit Umum Daerah Uji Kedua", [longest, longest]),
    ("Badan Uji Ketiga Provinsi Kalimantan Barat", [typical, typical]),
]


# The decree's Mengingat as the migration seeds it (this layout is checked without a database).
MENGINGAT = importlib.import_module("naskah.migrations.0013_legal_basis_and_garuda").SEED


def decree_context(kertas: str) -> dict:
    rows, number = [], 0
    for place, (name, makers) in enumerate(AGENCIES, start=1):
        submission = IkuSubmission(skpd=Skpd(nama=name, nama_pendek=name, order=place * 10), urutan=0)
        for j, make in enumerate(makers, start=1):
            number += 1
            rows.append(IkuRow(submission=submission, urutan=j, **make(number)))
    groups = content.lampiran_groups(rows)
    kop = OfficeProfile(kertas=kertas)
    return {"kop": kop, "dossier": SimpleNamespace(tahun=2027), "nomor": "", "kota": kop.kota, "konsep": True,
            "iku": groups, "jumlah_iku": number, "jumlah_skpd": len(groups), "lebar_kolom": content.LEBAR_KOLOM,
            "kolom": [label for _, label in COLUMNS], "tentang": "PENETAPAN IKU", "tentang_judul": "Penetapan IKU",
            "nomor_kepgub": "", "tanggal_kepgub": "", "mengingat": MENGINGAT, "gubernur": "Gubernur Uji",
            "paraf": []}


def read(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Each page's pieces of text with their height on the page (PDF points from its foot)."""
    read_pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pieces = []

        def seen(text, cm, tm, font, size, pieces=pieces):
            if text.strip():
                pieces.append((cm[5] + tm[5] * cm[3], " ".join(text.split())))

        page.extract_text(visitor_text=seen)
        read_pages.append(pieces)
    return read_pages


def joined(pieces) -> str:
    return " ".join(text for _, text in pieces)


@pytest.fixture(scope="module", params=["A4", "F4"])
def longest_rows(request, django_db_setup, django_db_blocker):
    # The Mengingat the context reads is in the test database (seeded by its migration); a module
    # fixture reads it outside any test, so it asks for access itself.
    with django_db_blocker.unblock():
        context = decree_context(request.param)
    pages = read(render_pdf("naskah/draft_kepgub.html", context))
    first = next(i for i, pieces in enumerate(pages) if "Penanggung" in joined(pieces))
    return pages[first:]


def test_rows_at_every_fields_maximum_break_inside_their_cells_page_by_page(longest_rows):
    names = [name for name, _ in AGENCIES]
    rows = sum(len(makers) for _, makers in AGENCIES)
    seen = []
    for number, pieces in enumerate(longest_rows, start=1):
        text = joined(pieces)
        assert "LAMPIRAN KEPUTUSAN GUBERNUR KALIMANTAN BARAT" in text, number
        assert any(PAGE_NUMBER.fullmatch(piece) for _, piece in pieces), number
        # The header row, above every row of the page.
        for label in HEADER:
            assert label in text, (number, label)
        header = max(y for y, piece in pieces if piece.startswith("No Sasaran") or piece == "No")
        in_rows = [y for y, piece in pieces if TOKEN.search(piece)]
        # No page without a row: not under the title, not under an agency's name.
        assert in_rows, number
        assert header > max(in_rows), number
        # The page's last line of the table is a row's, never an agency's name.
        table = [(y, piece) for y, piece in pieces
                 if piece not in ("KONSEP", "GUBERNUR KALIMANTAN BARAT,", "GUBERNUR UJI") and not piece.isdigit()]
        lowest = min(table)[1]
        assert not any(name in lowest for name in names), (number, lowest)
        seen += [int(found) for found in TOKEN.findall(text)]
    # Every row printed, in order, each once (a row over three pages names itself on each).
    assert list(dict.fromkeys(seen)) == list(range(1, rows + 1))
    assert len(longest_rows) >= 6


def rows_then_a_long_one(short: int) -> list:
    """`short` one-line rows, each its own Sasaran, then a row too tall to keep whole whose Sasaran and
    Indikator take several lines."""
    submission = IkuSubmission(skpd=Skpd(nama="Dinas Uji Provinsi Kalimantan Barat", nama_pendek="Uji", order=1), urutan=0)
    one_line = {"indikator": "I", "penjelasan": "P", "formula": "F", "satuan": "%", "target": "1",
                "sumber_data": "D", "penanggung_jawab": "J"}
    rows = [IkuRow(submission=submission, urutan=n, sasaran_strategis=f"S{n}", **one_line) for n in range(short)]
    return rows + [IkuRow(submission=submission, urutan=short, **one_line | {
        "sasaran_strategis": "Meningkatnya kualitas pelayanan perizinan yang cepat, mudah dan terjangkau",
        "indikator": "Indeks kepuasan masyarakat terhadap pelayanan perizinan terpadu",
        "penjelasan": "Penjelasan indikator " * 100})]


def lampiran_of(rows) -> list[list[tuple[float, str]]]:
    context = decree_context("A4") | {"iku": content.lampiran_groups(rows)}
    pages = read(render_pdf("naskah/draft_kepgub.html", context))
    return pages[next(i for i, pieces in enumerate(pages) if "Penanggung" in joined(pieces)):]


def test_a_long_row_begun_at_a_pages_foot_begins_every_cell_beside_its_number():
    # As many one-line rows as fill the first page, less one and less none: the long row begins in
    # the last line or two. Its Sasaran and Indikator (three lines each) went whole to the next page,
    # there without the row's number, while its Penjelasan began beside the number.
    probe = lampiran_of(rows_then_a_long_one(60))[0]
    fill = sum(1 for _, piece in probe if re.fullmatch(r"S\d+", piece))
    for short in (fill - 1, fill):
        pages = lampiran_of(rows_then_a_long_one(short))
        number = next(pieces for pieces in pages if str(short + 1) in [piece for _, piece in pieces])
        text = joined(number)
        assert "Meningkatnya" in text and "Indeks" in text and "Penjelasan" in text, short


def test_only_a_row_too_tall_for_a_page_may_break():
    assert not any(content.may_break(IkuRow(**row)) for row in REAL_ROWS)
    assert content.may_break(IkuRow(**longest(1)))
    assert content.may_break(IkuRow(**REAL_ROWS[0] | {"penjelasan": "kata " * 400}))


def letter_context(template: str, kertas: str) -> dict:
    tujuan = [f"Kepala Dinas Uji {n:02d} Provinsi Kalimantan Barat" for n in range(1, 41)]
    return {"kop": OfficeProfile(kertas=kertas), "dossier": SimpleNamespace(tahun=2027), "nomor": "000.1.5/7/Kesra/2027",
            "kota": "Pontianak", "tanggal": "5 Januari 2027", "sifat": "Biasa", "hal": "Uji", "konsep": True,
            "hari_tanggal": "Senin, 11 Januari 2027", "waktu": "09.00 WIB s.d. selesai", "tempat": "Aula",
            "acara": "Workshop", "batas_waktu": "20 Januari 2027", "kolom": ["Indikator"], "tujuan": tujuan,
            "terlampir": True, "lampiran": "1 (satu) lembar", "tembusan": [],
            "ttd": Tandatangan(jabatan="KEPALA BIRO KESEJAHTERAAN RAKYAT", nama="Nama Uji")}


@pytest.mark.parametrize("template, kertas", [("naskah/undangan.html", "A4"), ("naskah/surat_skpd.html", "F4")])
def test_the_addressee_lampiran_repeats_its_reference_and_header_on_every_page(template, kertas):
    read_pages = read(render_pdf(template, letter_context(template, kertas)))
    letter, *lampiran = [joined(pieces) for pieces in read_pages]
    assert len(lampiran) >= 2
    assert f"Lampiran : {len(lampiran)} ({terbilang(len(lampiran))}) lembar" in letter
    listed = []
    for number, text in enumerate(lampiran, start=1):
        assert "LAMPIRAN SURAT KEPALA BIRO KESEJAHTERAAN RAKYAT" in text, number
        assert "NOMOR : 000.1.5/7/Kesra/2027" in text and "TANGGAL : 5 Januari 2027" in text, number
        assert "No Yth." in text, number
        assert f"- {number + 1} -" in [piece for _, piece in read_pages[number]], number
        listed += re.findall(r"Kepala Dinas Uji (\d\d)", text)
    assert listed == [f"{n:02d}" for n in range(1, 41)]


def test_an_agencys_head_is_titled_from_the_agency():
    rsud = Skpd(nama="Rumah Sakit Umum Daerah dr. Soedarso Provinsi Kalimantan Barat", kind="RSUD")
    assert content.pimpinan(rsud) == "Direktur Rumah Sakit Umum Daerah dr. Soedarso Provinsi Kalimantan Barat"
    dinas = Skpd(nama="Dinas Kesehatan Provinsi Kalimantan Barat", kind="Dinas")
    assert content.pimpinan(dinas) == "Kepala Dinas Kesehatan Provinsi Kalimantan Barat"
    rsj = Skpd(nama="Rumah Sakit Jiwa Provinsi Kalimantan Barat", kind="RSUD",
               head_title="Direktur Utama Rumah Sakit Jiwa Provinsi Kalimantan Barat")
    assert content.pimpinan(rsj) == "Direktur Utama Rumah Sakit Jiwa Provinsi Kalimantan Barat"


def test_letters_address_agencies_in_the_admins_order_never_the_bureau_nor_the_sekda_twice(people):
    named = ["Rumah Sakit Umum Daerah dr. Soedarso", "Biro Kesejahteraan Rakyat", "Dinas Kesehatan",
             "Sekretariat Daerah", "Dinas Sosial"]
    invited = [Skpd.objects.get(nama_pendek=name) for name in named]
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Urutan tujuan", invited=invited)
    surat = SuratSkpdForm.defaults(dossier)
    context = content.surat_skpd(dossier, surat, "", None, people["kasubag"])
    assert context["tujuan"] == [
        "Sekretaris Daerah Provinsi Kalimantan Barat", "Kepala Dinas Kesehatan Provinsi Kalimantan Barat",
        "Kepala Dinas Sosial Provinsi Kalimantan Barat",
        "Direktur Rumah Sakit Umum Daerah dr. Soedarso Provinsi Kalimantan Barat"]
    # The Surat's usual Tembusan is the Sekda, here already an addressee; other lines stay.
    assert surat["tembusan"].startswith("Sekretaris Daerah Provinsi Kalimantan Barat")
    assert context["tembusan"] == []
    surat["tembusan"] += "\nYth. Sekretaris Daerah (sebagai laporan)\nInspektur Provinsi Kalimantan Barat"
    assert content.surat_skpd(dossier, surat, "", None, people["kasubag"])["tembusan"] == [
        "Inspektur Provinsi Kalimantan Barat"]
    undangan = UndanganForm.defaults(dossier)
    context = content.undangan(dossier, undangan, "", None, people["kasubag"])
    assert context["tembusan"] == [undangan["tembusan"]]  # the Kabiro's copy: not an addressee
    assert "Biro Kesejahteraan Rakyat" not in " ".join(context["tujuan"])
