"""IKU tables as XLSX: the template an agency fills, the upload read back cell by cell, the export.

An upload is read whole before anything is kept: every bad cell is reported by sheet, row and
column, and the table is saved only when the file is clean. The file's zip directory is checked
before openpyxl inflates a byte, so a small file that expands to gigabytes is refused at once.
"""

import io
import os
from dataclasses import dataclass

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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


def export_bytes(numbered_rows, *, with_skpd: bool = True) -> bytes:
    """`numbered_rows`: (number, skpd name, IkuRow or dict). Every cell is written as text, so a
    cell such as =HYPERLINK(...) stays words and never runs as a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    headers = ["No"] + (["SKPD"] if with_skpd else []) + [label for _, label in COLUMNS]
    _write_header(sheet, headers)
    for line, (number, skpd, row) in enumerate(numbered_rows, start=2):
        values = [number] + ([skpd] if with_skpd else []) + [
            row.get(name, "") if isinstance(row, dict) else getattr(row, name) for name in FIELDS
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 6
    offset = 2 if with_skpd else 1
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

    def at_cell(problem):
        return CellProblem(problem.message, title, problem.row, letters.get(problem.field, ""))

    return ReadTable(rows, [at_cell(p) for p in check.errors], [at_cell(p) for p in check.warnings])


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
