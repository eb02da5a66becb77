"""Uploads shaped like the IKU tables agencies really publish: cells read as Excel shows them (a
percentage, a decimal comma, a date), Excel's errors and logical values refused at their cell, and
the layouts of a decree's Lampiran (a row of column numbers, hidden rows, a notes sheet first,
one Target column per year)."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from iku import xlsx
from tests.factories import client_for
from tests.iku.test_xlsx import PUBLISHED, assert_typed_kept, at_konsep, draft_of, post_file, upload  # noqa: F401
from tests.iku.test_xlsx_cells import HOSTILE, ROWS, as_excel_saves, formula_workbook, sent  # noqa: F401

# at_konsep and sent, imported above, are the fixtures of the tests beside this file.
HEADER = ["No", "Sasaran Strategis", "Indikator Kinerja", "Formula", "Satuan", "Target", "Sumber Data", "Penanggung Jawab"]
ROW = [1, "Meningkatnya derajat kesehatan masyarakat", "Usia harapan hidup", "Rata-rata umur", "tahun"]


def book_bytes(*sheets, hidden_rows=(), merged=(), formats=None, hidden_sheets=(), hidden_columns=()) -> bytes:
    """A workbook of (title, lines) sheets; the row numbers, column letters, ranges and {cell: number
    format} given apply to the last sheet."""
    book = Workbook()
    book.remove(book.active)
    for title, lines in sheets:
        sheet = book.create_sheet(title)
        for line in lines:
            sheet.append(line)
        if title in hidden_sheets:
            sheet.sheet_state = "hidden"
    for line in hidden_rows:
        sheet.row_dimensions[line].hidden = True
    for letter in hidden_columns:
        sheet.column_dimensions[letter].hidden = True
    for cells in merged:
        sheet.merge_cells(cells)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(*sheets, year=None, **shape):
    return xlsx.read_upload(upload(book_bytes(*sheets, **shape)), **({"year": year} if year else {}))


def said(result) -> list[str]:
    return [str(problem) for problem in result.problems]


@pytest.mark.parametrize("value, number_format, shown", [
    (0.8, "0%", "80%"),
    (0.7999999, "0.00%", "80,00%"),
    (95.5, None, "95,5"),
    (95.5, "0.00", "95,50"),
    (100000, "#,##0", "100.000"),
    (1250.5, "#,##0.0", "1.250,5"),
    (1 / 3, None, "0,3333333333"),
    (0.1 + 0.2, None, "0,3"),
    (-1234.5, "#,##0.00_);(#,##0.00)", "(1.234,50)"),
    (0, '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-', "-"),
    (150, '0 "per 100.000 KH"', "150 per 100.000 KH"),
    (datetime.date(2027, 12, 31), None, "31/12/2027"),
    (datetime.datetime(2027, 12, 31), None, "31/12/2027"),
    (datetime.datetime(2027, 12, 31), "mm-dd-yy", "31/12/2027"),
    (datetime.datetime(2027, 2, 1), "dd/mm/yyyy", "01/02/2027"),
    (datetime.datetime(2027, 12, 31), "d mmmm yyyy", "31 Desember 2027"),
    (datetime.timedelta(days=2), None, "48:00:00"),
])
def test_a_cell_is_read_as_excel_shows_it_in_indonesian(value, number_format, shown):
    formats = {"F2": number_format} if number_format else {}
    result = read(("IKU", [HEADER, ROW + [value]]), formats=formats)
    assert result.ok, said(result)
    assert result.rows[0]["target"] == shown


TEXTS = ["98", "-5", "0", "71,24", "0,5", "-0,5", "12,0", "100.000", "1.250,5", "1.250,50", "76.5", "2026", "007",
         "-0", "123456789012345", "0,123456789012345", "5%", "71,24 (akhir RPJMD 2023)", "Predikat A", HOSTILE]


@pytest.mark.parametrize("with_skpd", [True, False])
def test_the_apps_own_export_uploaded_again_gives_back_the_same_texts(with_skpd):
    rows = [{"indikator": f"Indikator {n}", "satuan": text, "target": text} for n, text in enumerate(TEXTS, start=1)]
    content = xlsx.export_bytes([(n, "Dinas Kesehatan", row) for n, row in enumerate(rows, start=1)], with_skpd=with_skpd)
    result = xlsx.read_upload(upload(content))
    assert result.ok, said(result)
    assert [(row["satuan"], row["target"]) for row in result.rows] == [(text, text) for text in TEXTS]


def test_a_table_downloaded_from_the_page_loads_back_as_it_was_sent(people, sent):  # noqa: F811
    content = client_for(people, "dinkes").get(f"/dosier/{sent.pk}/iku/konsep/xlsx/").content
    result = xlsx.read_upload(upload(content))
    assert result.ok, said(result)
    assert [(row["indikator"], row["satuan"], row["target"]) for row in result.rows] == ROWS


@pytest.mark.parametrize("code", ["#DIV/0!", "#N/A", "#REF!", "#VALUE!", "#NAME?"])
def test_an_excel_error_is_refused_at_its_cell(code):
    lines = [list(line) for line in PUBLISHED]
    lines[4][5] = code
    result = read(("IKU", lines))
    assert said(result) == [f"Lembar IKU, baris 5, kolom F: Sel F5 berisi galat Excel {code}: perbaiki rumusnya "
                            "atau ketik nilainya."]


def test_a_formula_that_gave_an_error_is_refused_and_nothing_is_kept(people, at_konsep):  # noqa: F811
    content = as_excel_saves(formula_workbook({"C6": "=B6/0"}), (b'<c r="C6"><f>B6/0</f><v></v></c>',
                                                                  b'<c r="C6" t="e"><f>B6/0</f><v>#DIV/0!</v></c>'))
    # Named once, for what it holds: not also as an indicator left empty.
    assert said(xlsx.read_upload(upload(content))) == [
        "Lembar IKU, baris 6, kolom C: Sel C6 berisi galat Excel #DIV/0!: perbaiki rumusnya atau ketik nilainya."]
    page = post_file(people, at_konsep, content).content.decode()
    assert_typed_kept(page)
    assert "baris 6, kolom C: Sel C6 berisi galat Excel #DIV/0!" in page
    assert draft_of(people, at_konsep) == []


def test_a_logical_value_is_refused_at_its_cell():
    result = read(("IKU", [HEADER, ROW + [True], [2, None, "Angka kematian ibu", "-", False, "150"]]))
    assert [(p.row, p.column) for p in result.problems] == [(2, "F"), (3, "E")]
    assert said(result)[0] == ("Lembar IKU, baris 2, kolom F: Sel F2 berisi nilai logika TRUE (BENAR), bukan teks "
                               "atau angka: ketik isinya sebagai teks atau angka, lalu unggah lagi.")
    assert "Sel E3 berisi nilai logika FALSE (SALAH)" in said(result)[1]


@pytest.mark.parametrize("numbers", [[f"({n})" for n in range(1, 9)], list(range(1, 9))])
def test_the_row_of_column_numbers_under_the_header_is_no_iku(numbers):
    result = read(("IKU", PUBLISHED[:3] + [numbers] + PUBLISHED[3:]))
    assert result.ok, said(result)
    assert [row["indikator"] for row in result.rows] == ["Usia harapan hidup", "Angka kematian ibu", "Jumlah kasus kematian bayi"]
    assert "Lembar IKU, baris 5, kolom D: Formula/cara pengukuran belum diisi." in [str(w) for w in result.warnings]


def test_hidden_rows_are_left_out_and_said_so(people, at_konsep, tmp_path, capsys):  # noqa: F811
    lines = PUBLISHED[:4] + [[9, None, "Indikator lama yang disembunyikan", None, None, "#N/A"],
                             [10, None, "Indikator lain yang disaring"]] + PUBLISHED[4:]
    content = book_bytes(("IKU", lines), hidden_rows=(5, 6))
    result = xlsx.read_upload(upload(content))
    assert result.ok, said(result)
    assert [row["indikator"] for row in result.rows] == ["Usia harapan hidup", "Angka kematian ibu", "Jumlah kasus kematian bayi"]
    note = ("Lembar IKU: 2 baris tersembunyi tidak dimuat (baris 5 dan 6). Bila termasuk IKU, tampilkan barisnya "
            "(Unhide), simpan, lalu unggah lagi.")
    assert result.notes == [note]
    (tmp_path / "iku.xlsx").write_bytes(content)
    call_command("import_iku", at_konsep.pk, "Dinas Kesehatan", str(tmp_path / "iku.xlsx"))
    assert f"Peringatan: {note}" in capsys.readouterr().err
    assert len(draft_of(people, at_konsep)) == 3


def test_the_table_is_found_on_a_later_sheet_and_a_hidden_sheet_is_not_read():
    notes = [["Petunjuk pengisian"], ["Isi tabel IKU pada lembar berikutnya."]]
    old = [HEADER, ROW + ["60 (tahun lalu)"]]
    result = read(("Petunjuk", notes), ("Lama", old), ("IKU 2027", PUBLISHED), hidden_sheets=("Lama",))
    assert result.ok, said(result)
    assert [row["indikator"] for row in result.rows] == ["Usia harapan hidup", "Angka kematian ibu", "Jumlah kasus kematian bayi"]
    assert "Lembar IKU 2027, baris 4, kolom D: Formula/cara pengukuran belum diisi." in [str(w) for w in result.warnings]


def test_a_workbook_without_a_header_on_any_sheet_names_the_sheets_it_searched():
    result = read(("Petunjuk", [["Petunjuk pengisian"]]), ("Data", [["hanya", "teks"]]))
    assert said(result) == ["Judul kolom tidak ditemukan di 15 baris pertama lembar mana pun (Petunjuk, Data). "
                            "Gunakan templat, atau pastikan ada kolom \u201cIndikator\u201d."]


# "Target" merged over one column per year, the years in the row below, then the column numbers.
YEARS = [2023, 2024, 2025, 2026, 2027]
BY_YEAR = [
    HEADER[:5] + ["Target"] + [None] * 4 + HEADER[6:],
    [None] * 5 + YEARS + [None, None],
    [f"({n})" for n in range(1, 13)],
    ROW + ["70", "70,5", "71", "71,5", "72"] + ["BPS", "Bidang Kesmas"],
    [2, None, "Angka kematian ibu", "Kematian / KH x 100.000", "per 100.000 KH", "160", "155", "150", "145", None,
     "Dinkes", "Bidang Kesmas"],
]
MERGED = ("F1:J1", "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "K1:K2", "L1:L2")


def test_the_target_of_the_dossiers_year_is_read_from_a_table_with_one_column_per_year():
    result = read(("IKU", BY_YEAR), merged=MERGED, year=2027)
    assert result.ok, said(result)
    assert [row["target"] for row in result.rows] == ["72", ""]
    assert [row["sumber_data"] for row in result.rows] == ["BPS", "Dinkes"]
    assert "Lembar IKU, baris 5, kolom J: Target belum diisi." in [str(w) for w in result.warnings]
    assert [row["target"] for row in read(("IKU", BY_YEAR), merged=MERGED, year=2024).rows] == ["70,5", "155"]


def test_a_table_with_one_target_column_per_year_is_refused_when_the_year_is_unknown_or_absent():
    assert said(read(("IKU", BY_YEAR), merged=MERGED)) == [
        "Lembar IKU, baris 2, kolom F: Tabel ini memuat target beberapa tahun (2023, 2024, 2025, 2026 dan 2027; "
        "sel F2:J2). Sisakan satu kolom target, yaitu target tahun dosier, hapus kolom tahun lainnya, lalu unggah lagi."]
    assert said(read(("IKU", BY_YEAR), merged=MERGED, year=2028)) == [
        "Lembar IKU, baris 2, kolom F: Tabel ini memuat target tahun 2023, 2024, 2025, 2026 dan 2027 (sel F2:J2), "
        "tetapi tidak tahun 2028, tahun dosier ini. Sisakan satu kolom target berisi target tahun 2028, lalu unggah lagi."]


def test_a_target_heading_over_several_columns_without_years_is_refused_not_read_as_the_first():
    without_years = BY_YEAR[:1] + BY_YEAR[3:]
    assert said(read(("IKU", without_years), merged=("F1:J1",), year=2027)) == [
        "Lembar IKU, baris 1, kolom F: Judul Target menaungi 5 kolom (F sampai J) tanpa tahun di bawahnya, sehingga "
        "tidak jelas kolom mana yang berisi target tahun 2027. Sisakan satu kolom target tahun 2027, lalu unggah lagi."]


def test_target_headings_that_name_their_year_are_chosen_by_the_dossiers_year():
    lines = [HEADER[:5] + ["Target 2026", "Target 2027"] + HEADER[6:], ROW + ["71", "72"]]
    assert [row["target"] for row in read(("IKU", lines), year=2027).rows] == ["72"]
    assert "beberapa tahun (2026 dan 2027; sel F1:G1)" in said(read(("IKU", lines)))[0]


def test_a_single_target_column_with_its_year_below_reads_without_the_year_row():
    lines = [HEADER, [None] * 5 + ["2027"], ROW + ["72"]]
    result = read(("IKU", lines), year=2027)
    assert result.ok, said(result)
    assert [row["target"] for row in result.rows] == ["72"]
    assert read(("IKU", lines)).rows == result.rows


def _headed(target_headings, years_row=None):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "IKU"
    sheet.append(["Sasaran Strategis", "Indikator Kinerja Utama", "Satuan", *target_headings, "Penanggung Jawab"])
    if years_row is not None:
        sheet.append(["", "", "", *years_row, ""])
    sheet.append(["Sasaran A", "Indikator A", "persen", *[f"{70 + n}" for n in range(len(target_headings))], "Bidang"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name, data.size = "iku.xlsx", len(data.getvalue())
    return data


def test_a_single_target_column_of_another_year_is_refused_not_taken():
    read = xlsx.read_upload(_headed(["Target 2026"]), year=2027)
    assert not read.ok and "tetapi tidak tahun 2027" in str(read.problems[0])
    read = xlsx.read_upload(_headed(["Target 2027"]), year=2027)
    assert read.ok and read.rows[0]["target"] == "70"


def test_year_headings_as_tables_write_them_are_read():
    for years in (["TA 2026", "TA 2027", "TA 2028"], ["T.A. 2026", "T.A. 2027", "T.A. 2028"],
                  ["2026", "2027*", "2028"], ["Tahun Anggaran 2026", "Tahun Anggaran 2027", "Tahun Anggaran 2028"]):
        upload = _headed(["Target", "", ""], years_row=years)
        read = xlsx.read_upload(upload, year=2027)
        assert read.ok, (years, [str(p) for p in read.problems])
        assert read.rows[0]["target"] == "71", years


def test_years_typed_as_numbers_with_a_thousands_format_are_years():
    from openpyxl import load_workbook

    upload = _headed(["Target", "", ""], years_row=[2026, 2027, 2028])
    book = load_workbook(upload)
    for cell in book.active[2][3:6]:
        cell.number_format = "#,##0"
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name, data.size = "iku.xlsx", len(data.getvalue())
    read = xlsx.read_upload(data, year=2027)
    assert read.ok and read.rows[0]["target"] == "71", [str(p) for p in read.problems]


# A Renstra table: a Sasaran written once over its indicators; the Sasaran's first row hidden (an
# indicator dropped this year), its cell a plain one or the top of a range merged down the group.
SPANNED = [
    ["No", "Sasaran Strategis", "Indikator Kinerja Utama", "Formula", "Satuan", "Target", "Sumber Data", "Penanggung Jawab"],
    [1, "Meningkatnya derajat kesehatan masyarakat", "Usia harapan hidup", "Rata-rata umur", "tahun", "71,5", "BPS", "Sekretariat"],
    [2, None, "Angka kematian ibu", "Kematian ibu / KH x 100.000", "per 100.000 KH", "150", "Profil Kesehatan", "Bidang Kesmas"],
    [3, "Meningkatnya mutu pelayanan kesehatan rujukan", "Persentase puskesmas terakreditasi", None, "persen", "90",
     "Profil Kesehatan", "Bidang Yankes"],
    [4, None, "Persentase rumah sakit daerah terakreditasi paripurna", None, "persen", "80", "KARS", "Bidang Yankes"],
    [5, None, "Indeks kepuasan pasien rumah sakit daerah", None, "indeks", "82,5", "Survei", "Bidang Yankes"],
]


@pytest.mark.parametrize("merged", [(), ("B4:B6",)])
def test_a_hidden_row_that_starts_a_sasaran_gives_it_to_the_next_row_shown_and_says_so(merged):
    result = read(("IKU", SPANNED), hidden_rows=(4,), merged=merged)
    assert result.ok, said(result)
    # As the file means them: the rows under the hidden one stay under its Sasaran.
    assert [(row["sasaran_strategis"], row["indikator"]) for row in result.rows] == [
        ("Meningkatnya derajat kesehatan masyarakat", "Usia harapan hidup"),
        ("", "Angka kematian ibu"),
        ("Meningkatnya mutu pelayanan kesehatan rujukan", "Persentase rumah sakit daerah terakreditasi paripurna"),
        ("", "Indeks kepuasan pasien rumah sakit daerah"),
    ]
    assert result.notes[1] == (
        "Lembar IKU: Sasaran strategis \u201cMeningkatnya mutu pelayanan kesehatan rujukan\u201d ada di baris 4 yang "
        "tersembunyi; sasaran itu dimuat pada baris 5, baris pertama di bawahnya yang tampak, dan baris yang "
        "melanjutkannya. Periksa sasarannya di tabel.")


def test_a_hidden_row_under_the_same_sasaran_changes_nothing_and_says_nothing_of_it():
    lines = SPANNED[:2] + [[2, SPANNED[1][1], "Angka kematian ibu"], [3, None, "Prevalensi stunting pada balita"]]
    result = read(("IKU", lines + SPANNED[3:]), hidden_rows=(3,))
    assert [row["sasaran_strategis"] for row in result.rows][:2] == ["Meningkatnya derajat kesehatan masyarakat", ""]
    assert len(result.notes) == 1 and "baris tersembunyi tidak dimuat (baris 3)" in result.notes[0]


# A Renstra table as published: a source line under it, then the head of the agency's signature in
# the last column.
SIGNED = SPANNED + [
    [],
    [None, "Sumber: Renstra Dinas Kesehatan 2025\u20132029"],
    [],
    [None] * 7 + ["Pontianak, 2 Januari 2027"],
    [None] * 7 + ["KEPALA DINAS KESEHATAN PROVINSI KALIMANTAN BARAT"],
    [],
    [None] * 7 + ["dr. Erna Yulianti, M.Kes."],
    [None] * 7 + ["NIP. 19700101 199003 2 005"],
]


def test_a_source_line_and_a_signature_under_the_table_are_left_out_with_one_note(people, at_konsep):  # noqa: F811
    page = post_file(people, at_konsep, book_bytes(("IKU", SIGNED))).content.decode()
    assert "wajib diisi" not in page
    assert ("5 baris dimuat dari iku.xlsx ke tabel di bawah. Lembar IKU: Baris 8\u201314 di bawah tabel tidak "
            "dimuat: tidak berisi indikator kinerja utama (catatan atau tanda tangan). Bila termasuk IKU, isi kolom "
            "indikatornya, lalu unggah lagi.") in page
    assert ">Indeks kepuasan pasien rumah sakit daerah</textarea>" in page and "Erna Yulianti" not in page


def test_an_indicator_under_a_blank_line_is_still_read_and_a_row_without_one_above_it_still_refused():
    gap = SPANNED[:3] + [[]] + SPANNED[3:]
    result = read(("IKU", gap))
    assert result.ok and len(result.rows) == 5 and not result.notes, said(result)
    without = SPANNED[:3] + [[], [None, "Meningkatnya mutu pelayanan kesehatan rujukan"]] + SPANNED[4:]
    assert said(read(("IKU", without))) == [
        "Lembar IKU, baris 5, kolom C: Indikator kinerja utama wajib diisi."]


# Headings as agencies' published tables write them: Permenpan-RB 53/2014's "Kinerja Utama" over
# the Sasaran, a Definisi Operasional and a Cara Perhitungan, a Unit Penanggung Jawab; and a Renstra
# column (Kondisi Awal) that is none of the Lampiran's.
DEFINED = [
    ["No", "Kinerja Utama", "Indikator Kinerja Utama", "Definisi Operasional", "Cara Perhitungan", "Satuan",
     "Kondisi Awal", "Target", "Sumber Data", "Unit Penanggung Jawab"],
    [1, "Meningkatnya derajat kesehatan masyarakat", "Angka kematian ibu",
     "Jumlah kematian ibu selama kehamilan, persalinan dan nifas per 100.000 kelahiran hidup",
     "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000", "per 100.000 KH", "183", "150",
     "Profil Kesehatan Provinsi", "Bidang Kesehatan Masyarakat"],
]


def test_headings_of_published_tables_are_read_into_their_columns_and_a_column_left_out_is_named():
    result = read(("IKU", DEFINED))
    assert result.ok, said(result)
    assert result.rows == [{
        "sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat", "indikator": "Angka kematian ibu",
        "penjelasan": "Jumlah kematian ibu selama kehamilan, persalinan dan nifas per 100.000 kelahiran hidup",
        "formula": "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000", "satuan": "per 100.000 KH",
        "target": "150", "sumber_data": "Profil Kesehatan Provinsi", "penanggung_jawab": "Bidang Kesehatan Masyarakat",
    }]
    assert result.notes == [
        "Lembar IKU: Kolom G \u201cKondisi Awal\u201d tidak dimuat: judulnya bukan judul kolom tabel IKU. Bila isinya "
        "termasuk tabel IKU, ganti judulnya dengan judul kolom templat (Sasaran Strategis, Indikator Kinerja Utama, "
        "Penjelasan/Alasan, Formula/Cara Pengukuran, Satuan, Target, Sumber Data, Penanggung Jawab), lalu unggah lagi."]


def test_a_definisi_operasional_that_is_also_the_formula_is_read_as_the_formula():
    lines = [["No", "Sasaran Strategis", "Indikator Kinerja Utama", "Definisi Operasional / Formula", "Satuan",
              "Target", "Keterangan"],
             [1, "Meningkatnya derajat kesehatan masyarakat", "Prevalensi stunting pada balita",
              "Jumlah balita pendek dan sangat pendek / jumlah balita diukur x 100%", "persen", "14", "RPJMN"]]
    result = read(("IKU", lines))
    assert result.rows[0]["formula"] == "Jumlah balita pendek dan sangat pendek / jumlah balita diukur x 100%"
    assert result.notes[0].startswith("Lembar IKU: Kolom G \u201cKeterangan\u201d tidak dimuat")


# A header over two rows: "Indikator Kinerja Utama" merged over its sub-headings, "Target" over a
# column per year, the other headings merged down both rows.
SUB_HEADED = [
    ["No", "Sasaran Strategis", "Indikator Kinerja Utama", None, None, "Target", None, None, "Sumber Data"],
    [None, None, "Uraian Indikator", "Formula", "Satuan", 2026, 2027, 2028, None],
    [1, "Meningkatnya derajat kesehatan masyarakat", "Angka kematian ibu",
     "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000", "per 100.000 KH", "155", "150", "145",
     "Profil Kesehatan Provinsi"],
    [2, None, "Prevalensi stunting pada balita", "Balita pendek / balita diukur x 100%", "persen", "16", "14", "12",
     "SSGI"],
]
SUB_MERGED = ("A1:A2", "B1:B2", "C1:E1", "F1:H1", "I1:I2")


def test_a_two_row_header_with_sub_headings_and_years_is_read_column_by_column():
    result = read(("IKU", SUB_HEADED), merged=SUB_MERGED, year=2027)
    assert result.ok, said(result)
    assert [(row["indikator"], row["formula"], row["satuan"], row["target"], row["sumber_data"])
            for row in result.rows] == [
        ("Angka kematian ibu", "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000", "per 100.000 KH", "150",
         "Profil Kesehatan Provinsi"),
        ("Prevalensi stunting pada balita", "Balita pendek / balita diukur x 100%", "persen", "14", "SSGI"),
    ]
    assert "Lembar IKU, baris 3, kolom D: Formula/cara pengukuran belum diisi." not in [str(w) for w in result.warnings]
    assert [row["target"] for row in read(("IKU", SUB_HEADED), merged=SUB_MERGED, year=2028).rows] == ["145", "12"]


def test_a_hidden_column_gives_way_to_the_shown_column_of_the_same_heading():
    """An agency keeps last period's indicators in a hidden column beside this year's: the clerk sees
    and means the shown one, and the hidden one was read in its place, said as "not read"."""
    header = ["No", "Sasaran Strategis", "Indikator Kinerja (Renstra 2021-2026)", "Indikator Kinerja Utama",
              "Kondisi Awal", "Satuan", "Target"]
    lines = [header,
             [1, "Meningkatnya derajat kesehatan masyarakat", "Angka harapan hidup lama", "Usia harapan hidup",
              "70", "tahun", "71,5"],
             [2, None, "Angka kematian ibu lama", "Angka kematian ibu", "160", "per 100.000 KH", "< 150"]]
    result = read(("IKU", lines), hidden_columns=("C", "E"))
    assert result.ok, said(result)
    assert [row["indikator"] for row in result.rows] == ["Usia harapan hidup", "Angka kematian ibu"]
    assert [row["target"] for row in result.rows] == ["71,5", "< 150"]
    notes = " ".join(result.notes)
    assert "Kolom C \u201cIndikator Kinerja (Renstra 2021-2026)\u201d tersembunyi dan tidak dimuat" in notes
    # Hidden and no column of the table: nothing the clerk sees or needs to hear of.
    assert "Kondisi Awal" not in notes and "Kinerja Utama\u201d" not in notes
    # Hidden with no shown column of its heading: read, as before.
    only_hidden = read(("IKU", lines), hidden_columns=("C", "G"))
    assert [row["target"] for row in only_hidden.rows] == ["71,5", "< 150"]
