"""Reading the admin's file (XLSX or CSV) into a `Sheet`: the header found among the first rows,
each row's cells as one line of text, hidden and merged rows as the admin saw them."""

import csv
import io
import os
import re
from contextlib import closing

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from iku.cell_text import cell_text
from iku.xlsx import hidden_lines, merged_ranges
from lib.archives import LOCKED, OFFICE_LEGACY, OFFICE_LOCKED, UnsafeArchive, check_zip_expansion, compound_file
from lib.numbers import grouped
from workflow.people_import.columns import (
    CONTROL_CHARACTERS,
    HEADER_SEARCH_ROWS,
    HEADINGS,
    LABELS,
    MAX_BYTES,
    MAX_ROWS,
    NUMBER_HEADING,
    NUMBER_NIP,
    ROUNDED_NIP,
    SHEET,
    Problem,
    Sheet,
    one_line,
)


def _heading_key(text: str) -> str:
    text = re.sub(r"\([^)]*\)", "", one_line(text).lower())
    return re.sub(r"\s*/\s*", "/", text.strip(" *:"))


def _field_of(text: str) -> str | None:
    key = _heading_key(text)
    for name, words in HEADINGS.items():
        if key in words or key.replace("/", " / ") in words:
            return name
    return None


def read_file(upload) -> Sheet:
    """The rows of an uploaded XLSX or CSV file; a file that cannot be read is one problem, said so."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    sheet = Sheet(name=name)
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".xlsx", ".xlsm", ".csv"):
        sheet.problems.append(Problem("Berkas harus berformat XLSX (Excel) atau CSV. Simpan daftar Anda sebagai .xlsx "
                                      "atau .csv, lalu unggah lagi."))
        return sheet
    size = getattr(upload, "size", None)
    if not size:
        sheet.problems.append(Problem("Berkas kosong."))
        return sheet
    if size > MAX_BYTES:
        sheet.problems.append(Problem(f"Berkas terlalu besar ({grouped(size // 1024)} KB); batasnya {grouped(MAX_BYTES // 1024)} KB."))
        return sheet
    stream = io.BytesIO(upload.read())
    container = compound_file(stream)
    if container:
        message = OFFICE_LOCKED if container == LOCKED else OFFICE_LEGACY
        sheet.problems.append(Problem(message.format(app="Excel", ext=extension, kind="Buku Kerja Excel (.xlsx)")))
        return sheet
    if extension == ".csv":
        _read_csv(stream.getvalue(), sheet)
    else:
        _read_xlsx(stream, sheet)
    if len(sheet.rows) > MAX_ROWS:
        sheet.problems.append(Problem(f"Berkas berisi {grouped(len(sheet.rows))} baris; paling banyak {grouped(MAX_ROWS)} baris "
                                      "per impor. Bagi menjadi beberapa berkas."))
        sheet.rows = []
    elif not sheet.rows and not sheet.problems:
        sheet.problems.append(Problem("Berkas tidak berisi baris pengguna di bawah judul kolom."))
    return sheet


def _read_xlsx(stream, sheet: Sheet) -> None:
    try:
        check_zip_expansion(stream, max_total=20 * MAX_BYTES, max_ratio=100)
        book = load_workbook(stream, read_only=True, data_only=True)
    except UnsafeArchive as problem:
        sheet.problems.append(Problem(f"{problem} Pastikan berkasnya XLSX dari Excel atau LibreOffice."))
        return
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same to the user
        sheet.problems.append(Problem("Berkas tidak dapat dibaca sebagai XLSX. Pastikan berkasnya dari Excel atau "
                                      "LibreOffice, atau simpan sebagai CSV."))
        return
    try:
        # The list is on the first visible sheet with a header, the template's own first: a sheet
        # of notes ("Petunjuk") or of agencies is skipped.
        sheets = sorted((s for s in book.worksheets if s.sheet_state == "visible"), key=lambda s: s.title != SHEET)
        for found in sheets:
            found.reset_dimensions()
            with closing(found.iter_rows()) as cells:
                lines = enumerate(cells, start=1)
                if _take_header(sheet, ((line, [cell_text(c) for c in row]) for line, row in lines)):
                    # A row filtered out or folded away is not on the admin's screen: importing it
                    # would make an account nobody saw in the list (iku.xlsx leaves them out too).
                    hidden = hidden_lines(found)
                    merged_down = MergedDown(merged_ranges(found))
                    skipped = []
                    for line, row in lines:
                        if line in hidden:
                            if any(cell_text(cell).strip() for cell in row if cell.value is not None):
                                skipped.append(line)
                            continue
                        texts = [_xlsx_cell(sheet, line, index, cell) for index, cell in enumerate(row)]
                        _take_row(sheet, line, merged_down.filled(line, texts))
                    if skipped:
                        sheet.notes.append(hidden_note(skipped))
                    return
        _no_header(sheet)
    finally:
        book.close()


class MergedDown:
    """A cell merged down over several rows, as an office's list writes one agency (or one role) for
    all its officers: the admin sees its value beside each of those rows, so each row reads it,
    where openpyxl gives it in the top row alone. A range across columns (a title over the table)
    keeps its value in its first cell."""

    def __init__(self, ranges):
        # Each line a range covers below its top -> [(column index, top line)].
        self.covered: dict[int, list] = {}
        for min_col, min_row, max_col, max_row in ranges:
            if min_col == max_col:
                for line in range(min_row + 1, max_row + 1):
                    self.covered.setdefault(line, []).append((min_col - 1, min_row))
        self.tops = {(top, index) for cells in self.covered.values() for index, top in cells}
        self.values: dict = {}

    def filled(self, line: int, texts: list) -> list:
        for index, text in enumerate(texts):
            if (line, index) in self.tops:
                self.values[(line, index)] = text
        for index, top in self.covered.get(line, ()):
            texts += [""] * (index + 1 - len(texts))
            texts[index] = self.values.get((top, index), "")
        return texts


HIDDEN_NAMED = 10


def hidden_note(lines: list[int]) -> str:
    named = ", ".join(map(str, lines[:HIDDEN_NAMED])) + (f", dan {len(lines) - HIDDEN_NAMED} lagi"
                                                         if len(lines) > HIDDEN_NAMED else "")
    return (f"{len(lines)} baris tersembunyi atau tersaring tidak dibaca (baris {named}): tidak ditambahkan dan tidak "
            "mengubah apa pun. Bila orangnya termasuk, tampilkan barisnya (Unhide) atau hapus filternya, simpan, lalu "
            "unggah lagi.")


def _xlsx_cell(sheet, line, index, cell) -> str:
    if cell.value is None:
        return ""
    nip_column = sheet.letters.get("nip") == get_column_letter(index + 1)
    if nip_column and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        # A spreadsheet keeps a number in 15 digits: an 18-digit NIP typed as one lost its last ones.
        if abs(cell.value) >= 1e15:
            sheet.problems.append(Problem(ROUNDED_NIP.format(app="Excel"), **sheet.where(line, "nip")))
            return ""
        return str(int(cell.value))
    return cell_text(cell)


def _read_csv(data: bytes, sheet: Sheet) -> None:
    # Excel saves "CSV UTF-8" with a byte-order mark, and plain "CSV" in the Windows code page.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel set to Indonesian separates with ";" (the comma is the decimal sign); others with ",".
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def lines():
        start = 1
        try:
            for row in reader:
                yield start, row
                start = reader.line_num + 1
        except csv.Error:
            sheet.problems.append(Problem(f"Baris {start} tidak dapat dibaca sebagai CSV (tanda kutip tidak "
                                          "ditutup?). Simpan lagi dari Excel atau LibreOffice sebagai CSV."))

    rows = lines()
    if not _take_header(sheet, rows):
        _no_header(sheet)
        return
    for line, row in rows:
        if sheet.letters.get("nip"):
            index = _index(sheet.letters["nip"])
            if index < len(row) and NUMBER_NIP.fullmatch(row[index].strip()):
                sheet.problems.append(Problem(ROUNDED_NIP.format(app="Excel"), **sheet.where(line, "nip")))
                row[index] = ""
        _take_row(sheet, line, row)


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _take_header(sheet: Sheet, lines) -> bool:
    """Whether a header is among the first lines of `lines` (consumed up to it): its columns kept."""
    for line, texts in lines:
        columns = {}
        for index, text in enumerate(texts):
            name = _field_of(text)
            if name and name not in columns:
                columns[name] = index
        if "username" in columns and len(columns) >= 2:
            sheet.letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
            sheet.headings = {name: one_line(texts[index]) for name, index in columns.items()}
            left = [f"{get_column_letter(index + 1)} “{one_line(text)}”" for index, text in enumerate(texts)
                    if one_line(text) and index not in columns.values() and not NUMBER_HEADING.fullmatch(
                        _heading_key(text))]
            if left:
                sheet.notes.append(f"Kolom {', '.join(left)} tidak dibaca: judulnya bukan kolom templat "
                                   f"({', '.join(LABELS.values())}). Impor tidak memberi hak admin.")
            return True
        if line >= HEADER_SEARCH_ROWS:
            break
    return False


def _no_header(sheet: Sheet) -> None:
    sheet.problems.append(Problem(f"Judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama. Gunakan templat: "
                                  f"kolom “{LABELS['username']}” wajib ada, dengan kolom lain seperti "
                                  f"“{LABELS['nama']}”, “{LABELS['skpd']}” dan “{LABELS['peran']}”."))


def _take_row(sheet: Sheet, line: int, texts) -> None:
    row = {}
    for name, letter in sheet.letters.items():
        index = _index(letter)
        raw = texts[index] if index < len(texts) else ""
        row[name] = CONTROL_CHARACTERS.sub("", str(raw or "")) if name == "peran" else one_line(raw)
    if any(value.strip() for value in row.values()):  # a blank row between groups is no row
        sheet.rows.append((line, row))
