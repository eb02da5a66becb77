"""IKU tables as XLSX: the template an agency fills, the upload read back cell by cell, the export.

An upload is read whole before anything is kept: every bad cell is reported by sheet, row and
column, and the table is saved only when the file is clean. The file's zip directory is checked
before openpyxl inflates a byte, so a small file that expands to gigabytes is refused at once.
"""

import io
import os
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import iterparse

from iku.columns import COLUMNS
from iku.rows import FIELDS, LIMITS, MAX_ROWS, check_table, clean_text, is_blank
from lib.archives import UnsafeArchive, check_zip_expansion

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "IKU"
WIDTHS = {"sasaran_strategis": 40, "indikator": 45, "penjelasan": 40, "formula": 45, "satuan": 14,
          "target": 22, "sumber_data": 28, "penanggung_jawab": 28}
EXAMPLE = {
    "sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat",
    "indikator": "Angka kematian ibu",
    "penjelasan": "Kematian ibu selama kehamilan, persalinan dan nifas",
    "formula": "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000",
    "satuan": "per 100.000 KH",
    "target": "< 150 per 100.000 kelahiran hidup (2026)",
    "sumber_data": "Profil Kesehatan Provinsi",
    "penanggung_jawab": "Bidang Kesehatan Masyarakat",
}
# Headings in published tables vary; each column is recognised by any of these (lower case, start).
HEADINGS = {
    "sasaran_strategis": ("sasaran",),
    "indikator": ("indikator", "iku"),
    "penjelasan": ("penjelasan", "alasan"),
    "formula": ("formula", "cara pengukuran", "rumus"),
    "satuan": ("satuan",),
    "target": ("target",),
    "sumber_data": ("sumber data", "sumber"),
    "penanggung_jawab": ("penanggung jawab", "penanggungjawab", "pj"),
}
HEADER_SEARCH_ROWS = 15
# A cell that is a number and nothing else, written as Indonesian tables write one: "98", "-5",
# "71,24", "100.000", "1.250,5" (a dot groups thousands, a comma starts the decimals; "76.5" with
# other than three digits after the dot is a decimal point, as `parse_target` reads it). A leading
# zero ("007") is a code, not a number.
_WHOLE = r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:\.\d{3})+)"
NUMBER_CELL = re.compile(rf"(?P<sign>-?)(?P<whole>{_WHOLE})(?:,(?P<comma>\d+)|\.(?P<dot>\d{{1,2}}|\d{{4,}}))?")
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
FORMULA_SHOWN = 120
UNCOMPUTED = ("Sel ini berisi rumus {formula}, tetapi nilainya tidak tersimpan di berkas; ketik nilainya (atau "
              "salin lalu Tempel Nilai saja), simpan, lalu unggah lagi.")
# Digits a spreadsheet keeps exactly; a longer figure (an account number) stays text.
EXACT_DIGITS = 15


def max_upload_bytes() -> int:
    return getattr(settings, "SOP_IKU_XLSX_MAX_BYTES", 5 * 1024 * 1024)


@dataclass
class CellProblem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        place = ", ".join(p for p in (
            f"lembar {self.sheet}" if self.sheet else "",
            f"baris {self.row}" if self.row else "",
            f"kolom {self.column}" if self.column else "",
        ) if p)
        return f"{place[:1].upper() + place[1:]}: {self.message}" if place else self.message


@dataclass
class ReadTable:
    rows: list[dict]
    problems: list[CellProblem]
    warnings: list[CellProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def template_bytes() -> bytes:
    """The empty table an agency fills: the Lampiran's columns, one example row to replace, widths
    that fit, and each column's length limit enforced by the spreadsheet itself."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _write_header(sheet, [label for _, label in COLUMNS])
    for column, name in enumerate(FIELDS, start=1):
        cell = sheet.cell(row=2, column=column, value=EXAMPLE[name])
        cell.font = Font(italic=True, color="777777")
        cell.data_type = "s"
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
        rule = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(LIMITS[name]), allow_blank=True,
            showErrorMessage=True, errorTitle="Terlalu panjang",
            error=f"{dict(COLUMNS)[name]} paling banyak {LIMITS[name]} karakter.",
        )
        letter = get_column_letter(column)
        rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Petunjuk")
    for line, text in enumerate((
        "Isi lembar IKU mulai baris 2; baris contoh (huruf miring) boleh ditimpa atau dihapus.",
        "Sasaran strategis boleh kosong pada baris yang melanjutkan sasaran di atasnya.",
        "Indikator wajib diisi. Formula, sumber data dan penanggung jawab boleh kosong (akan diberi peringatan).",
        "Target boleh berupa teks, misalnya \u201c71,24 (akhir RPJMD 2023)\u201d; angkanya dibaca otomatis.",
        f"Paling banyak {MAX_ROWS} baris per tabel.",
    ), start=1):
        notes.cell(row=line, column=1, value=text)
    notes.column_dimensions["A"].width = 110
    return _save(book)


def number_cell(text) -> tuple[int | Decimal, str] | None:
    """(the number, its display format) when the cell `text` is a number and nothing else, else None.
    The format keeps the grouping and the decimals as typed ("1.250,50" shows so again)."""
    match = NUMBER_CELL.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return None
    whole, decimals = match["whole"], match["comma"] or match["dot"] or ""
    digits = whole.replace(".", "")
    if len(digits.lstrip("0") + decimals) > EXACT_DIGITS:
        return None
    value = Decimal(f"{match['sign']}{digits}.{decimals}") if decimals else int(match["sign"] + digits)
    pattern = ("#,##0" if "." in whole else "0") + ("." + "0" * len(decimals) if decimals else "")
    return value, ("General" if pattern == "0" else pattern)


def export_bytes(numbered_rows, *, with_skpd: bool = True) -> bytes:
    """`numbered_rows`: (number, skpd name, IkuRow or dict). A cell that is a number and nothing else
    (a target of 98 or 71,24) is written as a number, so the column sums; every other cell is
    written as text, so a cell such as =HYPERLINK(...) stays words and never runs as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = ["No"] + (["SKPD"] if with_skpd else []) + [label for _, label in COLUMNS]
    _write_header(sheet, headers)
    # The number and the agency's name come first; the row's own cells after them.
    offset = 2 if with_skpd else 1
    for line, (number, skpd, row) in enumerate(numbered_rows, start=2):
        values = [number] + ([skpd] if with_skpd else []) + [
            row.get(name, "") if isinstance(row, dict) else getattr(row, name) for name in FIELDS
        ]
        for column, value in enumerate(values, start=1):
            number = number_cell(value.strip()) if column > offset and isinstance(value, str) else None
            if number is not None:
                cell = sheet.cell(row=line, column=column, value=number[0])
                cell.number_format = number[1]
                cell.alignment = Alignment(vertical="top")
                continue
            cell = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 6
    if with_skpd:
        sheet.column_dimensions["B"].width = 22
    for column, name in enumerate(FIELDS, start=offset + 1):
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[name]
    sheet.freeze_panes = "A2"
    return _save(book)


def read_upload(upload) -> ReadTable:
    """Read an uploaded file (any object with read/seek/size or a path) into row dicts."""
    name = getattr(upload, "name", "") or ""
    if name and not name.lower().endswith((".xlsx", ".xlsm")):
        return _refused("Berkas harus berformat XLSX (Excel). Simpan tabel Anda sebagai .xlsx lalu unggah lagi.")
    size = getattr(upload, "size", None)
    if size == 0:
        return _refused("Berkas kosong.")
    if size is not None and size > max_upload_bytes():
        return _refused(f"Berkas terlalu besar ({size // 1024:,} KB); batasnya {max_upload_bytes() // 1024:,} KB.".replace(",", "."))
    stream = upload
    try:
        check_zip_expansion(stream, max_total=20 * max_upload_bytes(), max_ratio=100)
        book = load_workbook(stream, read_only=True, data_only=True)
    except UnsafeArchive as problem:
        return _refused(f"{problem} Pastikan berkasnya XLSX dari Excel atau LibreOffice.")
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same to the user
        return _refused("Berkas tidak dapat dibaca sebagai XLSX. Pastikan berkasnya dari Excel atau LibreOffice.")
    try:
        return _read_book(book)
    finally:
        book.close()


def read_path(path) -> ReadTable:
    """Read a file on disk as an upload: its size checked before a byte is read."""
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        if size > max_upload_bytes():
            return read_upload(_Sized(stream, path, size))
        data = io.BytesIO(stream.read())
    data.name, data.size = str(path), size
    return read_upload(data)


class _Sized:
    def __init__(self, stream, name, size):
        self.stream, self.name, self.size = stream, str(name), size


def _read_book(book) -> ReadTable:
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    title = sheet.title
    columns, header_row = None, None
    rows, numbers = [], []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if columns is None:
            columns = _columns_from_header(values)
            if columns:
                header_row = line
            elif line >= HEADER_SEARCH_ROWS:
                break
            continue
        row = {name: clean_text(values[index]) if index < len(values) else "" for name, index in columns.items()}
        if is_blank(row) or row == EXAMPLE:
            continue
        if len(rows) >= MAX_ROWS:
            return _refused(f"Lembar {title} berisi lebih dari {MAX_ROWS} baris IKU; bagi tabelnya.")
        rows.append(row)
        numbers.append(line)
    if columns is None:
        return _refused(
            f"Lembar {title}: judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama. "
            "Gunakan templat, atau pastikan ada kolom \u201cIndikator\u201d."
        )
    if not rows:
        return _refused(f"Lembar {title} tidak berisi baris IKU di bawah judul kolom (baris {header_row}).")
    check = check_table(rows, row_numbers=numbers)
    letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
    read_columns = {index + 1 for index in columns.values()}
    # A formula whose value the file does not hold reads as an empty cell: the clerk sees a value in
    # Excel, so the cell is named with what it holds, in place of what its emptiness would say.
    uncomputed = {
        (row, get_column_letter(column)): formula
        for (row, column), formula in _uncomputed_formulas(sheet).items()
        if row > header_row and column in read_columns
    }

    def at_cell(problem):
        return CellProblem(problem.message, title, problem.row, letters.get(problem.field, ""))

    problems = [CellProblem(UNCOMPUTED.format(formula=_shortened(formula)), title, row, letter)
                for (row, letter), formula in uncomputed.items()]
    problems += [p for p in map(at_cell, check.errors) if (p.row, p.column) not in uncomputed]
    problems.sort(key=lambda p: (p.row or 0, len(p.column), p.column))
    warnings = [p for p in map(at_cell, check.warnings) if (p.row, p.column) not in uncomputed]
    return ReadTable(rows, problems, warnings)


def _uncomputed_formulas(sheet) -> dict[tuple[int, int], str]:
    """(row, column) -> the formula of each cell of `sheet` whose value the file does not hold (what
    openpyxl and some other programs write; Excel and LibreOffice store the value they last worked
    out). Read from the sheet's XML itself: openpyxl gives either the value or the formula, and
    an empty value the same whether the formula gave "" or was never worked out."""
    found, shared = {}, {}
    # openpyxl's read-only sheet opens its own part of the file; it has no public name for that.
    source = sheet._get_source()
    try:
        for _, element in iterparse(source):
            if element.tag == f"{SHEET_NS}row":
                element.clear()
            if element.tag != f"{SHEET_NS}c":
                continue
            formula, coordinate = element.find(f"{SHEET_NS}f"), element.get("r")
            if formula is None or not coordinate:
                continue
            text = "=" + (formula.text or "")
            if formula.get("t") == "shared":
                index = formula.get("si")
                if formula.text:
                    shared[index] = Translator(text, coordinate)
                elif index in shared:
                    text = shared[index].translate_formula(coordinate)
            # An empty value of type "str" is a formula that gave an empty text: worked out.
            if not element.findtext(f"{SHEET_NS}v") and element.get("t") != "str":
                found[coordinate_to_tuple(coordinate)] = text
    finally:
        source.close()
    return found


def _shortened(formula: str) -> str:
    return formula if len(formula) <= FORMULA_SHOWN else formula[:FORMULA_SHOWN] + "…"


def _columns_from_header(values) -> dict | None:
    columns = {}
    for index, value in enumerate(values or ()):
        heading = clean_text(value).lower()
        if not heading:
            continue
        for name, starts in HEADINGS.items():
            if name not in columns and heading.startswith(starts):
                columns[name] = index
                break
    # A title line such as "IKU DINAS KESEHATAN" names one column at most; a header names several.
    return columns if "indikator" in columns and len(columns) >= 2 else None


def _refused(message: str) -> ReadTable:
    return ReadTable([], [CellProblem(message)], [])


def _write_header(sheet, headers) -> None:
    fill = PatternFill("solid", fgColor="DDE7F0")
    for column, label in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
