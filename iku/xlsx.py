"""IKU tables as XLSX: the template an agency fills, the upload read back cell by cell, the export.

An upload is read whole before anything is kept: every bad cell is reported by sheet, row and
column, and the table is saved only when the file is clean. The file's zip directory is checked
before openpyxl inflates a byte, so a small file that expands to gigabytes is refused at once.
"""

import io
import os
import re
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.formula.translate import Translator
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import iterparse

from iku.cell_text import cell_text
from iku.columns import COLUMNS
from iku.rows import FIELDS, LIMITS, MAX_ROWS, check_table, clean_text, is_blank
from lib.archives import LOCKED, OFFICE_LEGACY, OFFICE_LOCKED, UnsafeArchive, check_zip_expansion, compound_file
from lib.numbers import grouped

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
# A heading takes the column of its longest match ("Definisi Operasional / Formula" is the formula,
# "Definisi Operasional" the explanation); a slash is read without the spaces around it.
HEADINGS = {
    # "Kinerja Utama": the Sasaran column of Permenpan-RB 53/2014's form.
    "sasaran_strategis": ("sasaran", "kinerja utama"),
    "indikator": ("indikator", "iku"),
    # A Definisi Operasional says what the indicator means: the Lampiran's Penjelasan.
    "penjelasan": ("penjelasan", "alasan", "definisi operasional", "definisi"),
    "formula": ("formula", "cara pengukuran", "rumus", "cara perhitungan", "cara penghitungan", "formulasi",
                "definisi operasional/formula", "definisi operasional/cara perhitungan"),
    "satuan": ("satuan",),
    "target": ("target",),
    "sumber_data": ("sumber data", "sumber"),
    "penanggung_jawab": ("penanggung jawab", "penanggungjawab", "pj", "unit penanggung jawab",
                         "unit kerja penanggung jawab", "unit penanggungjawab"),
}
# A column that numbers the rows is no column of the table, and no column left out.
NUMBER_HEADING = re.compile(r"no\.?|nomor|no\.? urut|#", re.IGNORECASE)
HEADER_SEARCH_ROWS = 15
# A cell that is a number and nothing else, written as Indonesian tables write one: "98", "-5",
# "71,24", "100.000", "1.250,5" (a dot groups thousands, a comma starts the decimals). A leading
# zero ("007") is a code, not a number. "76.5" (a decimal point) stays text: an upload shows every
# number with a decimal comma, so as a number it would come back as "76,5".
_WHOLE = r"(?:0|[1-9]\d*|[1-9]\d{0,2}(?:\.\d{3})+)"
NUMBER_CELL = re.compile(rf"(?P<sign>-?)(?P<whole>{_WHOLE})(?:,(?P<comma>\d+))?")
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CELL_COLUMN = re.compile(r"[A-Z]{1,3}")
FORMULA_SHOWN = 120
UNCOMPUTED = ("Sel ini berisi rumus {formula}, tetapi nilainya tidak tersimpan di berkas; ketik nilainya (atau "
              "salin lalu Tempel Nilai saja), simpan, lalu unggah lagi.")
# Digits a spreadsheet keeps exactly; a longer figure (an account number) stays text.
EXACT_DIGITS = 15
# A year over a target column: 2027, "2027", "Tahun 2027", "Th. 2027".
# A year over a target column as tables head it: 2027, "Tahun 2027", "Th. 2027", "TA 2027", "T.A. 2027",
# "Tahun Anggaran 2027", a mark after it ("2027*"), or a number cell shown with a thousands dot ("2.027").
YEAR_CELL = re.compile(r"(?:(?:tahun anggaran|tahun|thn|th|t\.?\s?a)\.?\s*)?((?:19|20)\d\d)\s*[*)\]°¹²³]*",
                       re.IGNORECASE)
_DOTTED_YEAR = re.compile(r"([12])\.(\d{3})")
YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
COLUMN_NUMBER = re.compile(r"\(?(\d{1,2})\)?")
# Hidden rows named one by one in the note that says they were left out; more are counted only.
HIDDEN_NAMED = 10
_YEARS, _NUMBERS, _DATA = range(3)


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

    @property
    def notes(self) -> list[str]:
        """The warnings about the file as a whole (its hidden rows left out), to say beside "n baris
        dimuat": the grid shows the warnings of each row it holds, never of rows it did not receive."""
        return [str(warning) for warning in self.warnings if warning.row is None]


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
    whole, decimals = match["whole"], match["comma"] or ""
    digits = whole.replace(".", "")
    if len(digits.lstrip("0") + decimals) > EXACT_DIGITS:
        return None
    # A spreadsheet has no minus zero: "-0" or "-0,0" would come back without its sign.
    if match["sign"] and not (digits + decimals).strip("0"):
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


def read_upload(upload, *, year: int | None = None) -> ReadTable:
    """Read an uploaded file (any object with read/seek/size or a path) into row dicts. `year` is the
    dossier's year: it picks the target column of a table that has one per year."""
    name = getattr(upload, "name", "") or ""
    if name and not name.lower().endswith((".xlsx", ".xlsm")):
        return _refused("Berkas harus berformat XLSX (Excel). Simpan tabel Anda sebagai .xlsx lalu unggah lagi.")
    size = getattr(upload, "size", None)
    if size == 0:
        return _refused("Berkas kosong.")
    if size is not None and size > max_upload_bytes():
        return _refused(f"Berkas terlalu besar ({grouped(size // 1024)} KB); batasnya {grouped(max_upload_bytes() // 1024)} KB.")
    stream = upload
    container = compound_file(stream)
    if container:
        # Excel keeps a workbook locked with a password, and the .xls of Excel 97-2003, in another
        # container than a zip: neither is "damaged".
        message = OFFICE_LOCKED if container == LOCKED else OFFICE_LEGACY
        return _refused(message.format(app="Excel", ext=os.path.splitext(name)[1].lower() or ".xlsx",
                                        kind="Buku Kerja Excel (.xlsx)"))
    try:
        check_zip_expansion(stream, max_total=20 * max_upload_bytes(), max_ratio=100)
        book = load_workbook(stream, read_only=True, data_only=True)
    except UnsafeArchive as problem:
        return _refused(f"{problem} Pastikan berkasnya XLSX dari Excel atau LibreOffice.")
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same to the user
        return _refused("Berkas tidak dapat dibaca sebagai XLSX. Pastikan berkasnya dari Excel atau LibreOffice.")
    try:
        return _read_book(book, year)
    finally:
        book.close()


def read_path(path, *, year: int | None = None) -> ReadTable:
    """Read a file on disk as an upload: its size checked before a byte is read."""
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        if size > max_upload_bytes():
            return read_upload(_Sized(stream, path, size), year=year)
        data = io.BytesIO(stream.read())
    data.name, data.size = str(path), size
    return read_upload(data, year=year)


class _Sized:
    def __init__(self, stream, name, size):
        self.stream, self.name, self.size = stream, str(name), size


def _read_book(book, year: int | None = None) -> ReadTable:
    # Published workbooks often open on a sheet of notes ("Petunjuk") or a cover: the table is on the
    # first sheet with a header, the template's own sheet tried first. A hidden sheet is none of
    # what the clerk sees in the file, so it is not searched.
    sheets = sorted((s for s in book.worksheets if s.sheet_state == "visible"), key=lambda s: s.title != SHEET)
    for sheet in sheets:
        # The used range a sheet records is not trusted: WPS Office and streaming writers (Apache
        # POI's, behind many systems' exports) record "A1" whatever the sheet holds, and openpyxl's
        # read-only sheet stops there. Every row is read to its last cell instead.
        sheet.reset_dimensions()
        with closing(sheet.iter_rows()) as cells:
            lines = enumerate(cells, start=1)
            header = _find_header(lines)
            if header:
                return _read_sheet(sheet, lines, header, year)
    hint = "Gunakan templat, atau pastikan ada kolom \u201cIndikator\u201d."
    if len(sheets) == 1:
        return _refused(f"Lembar {sheets[0].title}: judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama. {hint}")
    return _refused(
        f"Judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama lembar mana pun "
        f"({', '.join(s.title for s in sheets)}). {hint}"
    )


def _find_header(lines):
    """(row, headings, columns) of the first of `lines` that is a header, or None."""
    for line, cells in lines:
        headings = [clean_text(cell_text(cell)) for cell in cells]
        columns = _columns_from_header(headings)
        if columns:
            return line, headings, columns
        if line >= HEADER_SEARCH_ROWS:
            return None
    return None


def _read_sheet(sheet, lines, header, year) -> ReadTable:
    header_row, headings, columns = header
    title = sheet.title
    facts = _sheet_facts(sheet)
    if facts.hidden_columns:
        # A column hidden in the file is none the clerk sees: a visible column of the same heading is
        # the one meant (the hidden one, older indicators kept out of sight, was read in its place).
        columns = _columns_from_header(headings, hidden=facts.hidden_columns) or columns
    # The header as wide as the sheet, as a sheet that records its used range gives it: a row of
    # years may stand under blank cells right of the Target heading (the dimensions are not read).
    headings = headings + [""] * (facts.width - len(headings))
    span, merged = _target_span(headings, columns, header_row, facts.merged)
    rows, numbers, hidden, not_data, refused, letters = [], [], [], set(), {}, {}
    # The Sasaran a hidden row starts (its own cell, or the top left of a range merged down over the
    # rows under it), for the rows that continue it: (line, text), and the Sasaran the rows read so
    # far stand under.
    carried, current, moved_up = None, "", []
    # Lines under the table's first blank line after its rows, none naming an indicator (yet).
    below, ended = [], False
    formula_lines = {line for line, _ in facts.uncomputed}
    # Under the header a published table may have a row of years (below a "Target" spread over them),
    # then a row of column numbers "(1) (2) (3)"; neither is an IKU.
    stage = _YEARS
    for line, cells in lines:
        if line in facts.hidden:
            # Filtered or folded away: the clerk does not see it, so it is no part of the table.
            if any(index < len(cells) and clean_text(cells[index].value) for index in columns.values()):
                hidden.append(line)
            index = columns.get("sasaran_strategis")
            sasaran = clean_text(cell_text(cells[index])) if index is not None and index < len(cells) else ""
            if sasaran:
                carried = (line, sasaran)
            continue
        texts = [cell_text(cell) for cell in cells]
        if stage != _DATA:
            if not any(text.strip() for text in texts):
                continue
            if stage == _YEARS:
                stage = _NUMBERS
                subs = _sub_headings(texts, columns, span, facts.merged, header_row)
                if subs is not None:
                    columns.clear()
                    columns.update(subs)
                years = _year_row(texts, columns, span, under_headings=subs is not None)
                chosen = _target_column(title, header_row, headings, columns, span, merged,
                                        line if years else None, years, year)
                if isinstance(chosen, CellProblem):
                    return ReadTable([], [chosen], [])
                if chosen is not None:
                    columns["target"] = chosen
                letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
                if years or subs is not None:
                    not_data.add(line)
                    continue
            stage = _DATA
            if _column_numbers(texts):
                not_data.add(line)
                continue
        row = {}
        for name, index in columns.items():
            cell = cells[index] if index < len(cells) else None
            refusal = _refusal(cell, f"{letters[name]}{line}")
            if refusal:
                refused[(line, letters[name])] = refusal
            row[name] = "" if refusal else clean_text(texts[index]) if index < len(texts) else ""
        if not any(text.strip() for text in texts) and line not in formula_lines:
            # A blank line after the rows ends the table; under it come the notes and the signature.
            ended = bool(rows)
            continue
        if is_blank(row) or row == EXAMPLE:
            continue
        if ended and not _names_an_indicator(row, line, letters, refused, facts):
            below.append((line, row))
            continue
        # An indicator below them: the blank line was a gap in the table, and what lay under it is rows.
        for held in [*below, (line, row)]:
            if len(rows) >= MAX_ROWS:
                return _refused(f"Lembar {title} berisi lebih dari {MAX_ROWS} baris IKU; bagi tabelnya.")
            current, carried = _take(held, rows, numbers, carried, current, moved_up, title)
        below, ended = [], False
    left_below = [line for line, _ in below]
    if left_below:
        not_data.update(left_below)
        refused = {place: message for place, message in refused.items() if place[0] not in not_data}
    read_columns = {index + 1 for index in columns.values()}
    # A formula whose value the file does not hold reads as an empty cell: the clerk sees a value in
    # Excel, so the cell is named with what it holds, in place of what its emptiness would say.
    uncomputed = {
        (row, get_column_letter(column)): formula
        for (row, column), formula in facts.uncomputed.items()
        if row > header_row and column in read_columns and row not in facts.hidden and row not in not_data
    }
    problems = [CellProblem(UNCOMPUTED.format(formula=_shortened(formula)), title, row, letter)
                for (row, letter), formula in uncomputed.items()]
    problems += [CellProblem(message, title, row, letter) for (row, letter), message in refused.items()]
    if not rows and not problems:
        return _refused(f"Lembar {title} tidak berisi baris IKU di bawah judul kolom (baris {header_row}).")
    placed = set(uncomputed) | set(refused)
    check = check_table(rows, row_numbers=numbers) if rows else None

    def at_cell(problem):
        return CellProblem(problem.message, title, problem.row, letters.get(problem.field, ""))

    if check:
        problems += [p for p in map(at_cell, check.errors) if (p.row, p.column) not in placed]
    problems.sort(key=lambda p: (p.row or 0, len(p.column), p.column))
    warnings = ([CellProblem(_hidden_note(hidden), title)] if hidden else []) + moved_up
    left_out = _columns_left_out(headings, columns, span, facts.hidden_columns)
    if left_out:
        warnings.append(CellProblem(left_out, title))
    hidden_left = _hidden_columns_left_out(headings, columns, span, facts.hidden_columns)
    if hidden_left:
        warnings.append(CellProblem(hidden_left, title))
    if left_below:
        warnings.append(CellProblem(_below_note(left_below), title))
    if check:
        warnings += [p for p in map(at_cell, check.warnings) if (p.row, p.column) not in placed]
    return ReadTable(rows, problems, warnings)


def _target_span(headings, columns, header_row, merged) -> tuple[list[int], bool]:
    """The columns (from 0) the Target heading stands over, and whether it is merged over them."""
    target = columns.get("target")
    if target is None:
        return [], False
    for min_col, min_row, max_col, max_row in merged:
        if min_row <= header_row <= max_row and min_col <= target + 1 <= max_col:
            return list(range(min_col - 1, max_col)), max_col > min_col
    # Not merged, yet the year row may still stand under blank headings to its right.
    taken, span = set(columns.values()), [target]
    while span[-1] + 1 < len(headings) and not headings[span[-1] + 1] and span[-1] + 1 not in taken:
        span.append(span[-1] + 1)
    return span, False


def _year_row(texts, columns, span, under_headings=False) -> dict[int, int]:
    """Year -> column of each year under the Target heading, when `texts` is such a row of years.
    `under_headings`: the row is one of sub-headings (`_sub_headings`), its other cells headings too."""
    # The other columns of a row of years are the lower halves of headings merged over two rows.
    if not under_headings and any(index < len(texts) and texts[index].strip()
                                  for name, index in columns.items() if name != "target"):
        return {}
    years = {}
    for index in span:
        text = _DOTTED_YEAR.sub(r"\1\2", texts[index].strip()) if index < len(texts) else ""
        match = YEAR_CELL.fullmatch(text)
        if match:
            years.setdefault(int(match[1]), index)
    return years


def _sub_headings(texts, columns, span, merged, header_row) -> dict | None:
    """The columns as read with the row under the header, when that row holds sub-headings: each of
    its filled cells outside the Target stands under a heading merged across several columns
    ("Indikator Kinerja Utama" over Uraian Indikator | Formula | Satuan), and one of them names a
    column. A heading spread so keeps its column at its first sub-heading naming none; None when
    the row is no such row (a row of data, years alone)."""
    parents = [(first - 1, last - 1) for first, top, last, bottom in merged
               if top <= header_row == bottom and last > first and not set(range(first - 1, last)) & set(span)]
    under = {index for first, last in parents for index in range(first, last + 1)}
    filled = {index for index, text in enumerate(texts) if text.strip() and index not in span}
    named = {index: _field_of(texts[index]) for index in filled}
    if not filled or not filled <= under or not any(named.values()):
        return None
    spread = {index: name for name, index in columns.items()}
    found = {name: index for name, index in columns.items() if index not in under}
    for first, last in parents:
        for index in range(first, last + 1):
            if named.get(index) and named[index] not in found:
                found[named[index]] = index
        parent = spread.get(first)
        if parent and parent not in found:
            found[parent] = next((index for index in range(first, last + 1) if not named.get(index)), first)
    return found


def _target_column(title, header_row, headings, columns, span, merged, year_row, years, year):
    """The column of the dossier's target: an index, None (no target column), or the CellProblem
    that refuses a table whose target column cannot be told."""
    target = columns.get("target")
    if target is None:
        return None
    row = year_row or header_row
    if not years:
        # "Target 2026", "Target 2027" side by side in the header itself.
        years = {}
        for index, heading in enumerate(headings):
            found = YEAR_IN_TEXT.search(heading) if heading.lower().startswith("target") else None
            if found:
                years.setdefault(int(found[0]), index)
    # One year named: its column, unless the dossier is another year's ("Target 2026" for 2027 was
    # taken silently).
    if len(years) == 1 and (year is None or year in years):
        return next(iter(years.values()))
    if years:
        if year in years:
            return years[year]
        first, last = (get_column_letter(index + 1) for index in (min(years.values()), max(years.values())))
        listed, cells = _listed(sorted(years)), f"{first}{row}:{last}{row}"
        if year is None:
            message = (f"Tabel ini memuat target beberapa tahun ({listed}; sel {cells}). Sisakan satu kolom target, "
                       "yaitu target tahun dosier, hapus kolom tahun lainnya, lalu unggah lagi.")
        else:
            message = (f"Tabel ini memuat target tahun {listed} (sel {cells}), tetapi tidak tahun {year}, tahun "
                       f"dosier ini. Sisakan satu kolom target berisi target tahun {year}, lalu unggah lagi.")
        return CellProblem(message, title, row, first)
    if merged:
        first, last = get_column_letter(span[0] + 1), get_column_letter(span[-1] + 1)
        which = f" tahun {year}" if year else " tahun dosier"
        return CellProblem(
            f"Judul Target menaungi {len(span)} kolom ({first} sampai {last}) tanpa tahun di bawahnya, sehingga "
            f"tidak jelas kolom mana yang berisi target{which}. Sisakan satu kolom target{which}, lalu unggah lagi.",
            title, header_row, first,
        )
    return target


def _column_numbers(texts) -> bool:
    """Whether `texts` is the row that numbers the columns: "(1) (2) (3)" or "1 2 3"."""
    numbers = []
    for text in texts:
        if text.strip():
            match = COLUMN_NUMBER.fullmatch(text.strip())
            if not match:
                return False
            numbers.append(int(match[1]))
    return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


def _refusal(cell, coordinate: str) -> str:
    """Why the cell cannot be read as the clerk means it, or ""."""
    if cell is None or cell.value is None:
        return ""
    if cell.data_type == "e":
        return f"Sel {coordinate} berisi galat Excel {cell.value}: perbaiki rumusnya atau ketik nilainya."
    if cell.data_type == "b":
        shown = "TRUE (BENAR)" if cell.value else "FALSE (SALAH)"
        return (f"Sel {coordinate} berisi nilai logika {shown}, bukan teks atau angka: ketik isinya sebagai teks "
                "atau angka, lalu unggah lagi.")
    return ""


def _hidden_note(lines: list[int]) -> str:
    named = _listed(lines) if len(lines) <= HIDDEN_NAMED else ", ".join(map(str, lines[:HIDDEN_NAMED])) + ", \u2026"
    return (f"{len(lines)} baris tersembunyi tidak dimuat (baris {named}). Bila termasuk IKU, tampilkan barisnya "
            "(Unhide), simpan, lalu unggah lagi.")


def _columns_left_out(headings, columns, span, hidden=frozenset()) -> str:
    """The note naming each headed column not read: an agency's Definisi Operasional dropped with
    no more than a note about empty Penjelasan cells was read as a column with nothing in it. A
    hidden column is said apart (`_hidden_columns_left_out`)."""
    read = set(columns.values()) | set(span) | set(hidden)
    left = [f"{get_column_letter(index + 1)} \u201c{heading}\u201d" for index, heading in enumerate(headings)
            if heading and index not in read and not NUMBER_HEADING.fullmatch(heading)
            and not heading.lower().startswith("target")]
    if not left:
        return ""
    return (f"Kolom {_listed(left)} tidak dimuat: judulnya bukan judul kolom tabel IKU. Bila isinya termasuk tabel "
            f"IKU, ganti judulnya dengan judul kolom templat ({', '.join(label for _, label in COLUMNS)}), lalu "
            "unggah lagi.")


def _hidden_columns_left_out(headings, columns, span, hidden) -> str:
    """The note naming each hidden column not read whose heading names a column of the table."""
    read = set(columns.values()) | set(span)
    left = [f"{get_column_letter(index + 1)} \u201c{headings[index]}\u201d" for index in sorted(hidden)
            if index < len(headings) and index not in read and _field_of(headings[index])]
    if not left:
        return ""
    return (f"Kolom {_listed(left)} tersembunyi dan tidak dimuat; yang dimuat kolom yang tampak dengan judul yang "
            "sama. Bila isinya yang termasuk tabel IKU, tampilkan kolomnya (Unhide), sembunyikan atau hapus kolom "
            "yang tampak, simpan, lalu unggah lagi.")


def _take(held, rows, numbers, carried, current, moved_up, title):
    """Add the (line, row) `held` to the table; returns the Sasaran it stands under and what is
    still carried from a hidden row."""
    line, row = held
    if carried:
        # Left blank, the row continues the Sasaran above it: the hidden one, not the one the
        # clerk last sees; leaving it blank gave the whole group to the Sasaran before, silently.
        if not row["sasaran_strategis"] and carried[1] != current:
            row["sasaran_strategis"] = carried[1]
            moved_up.append(CellProblem(_carried_note(carried, line), title))
        carried = None
    rows.append(row)
    numbers.append(line)
    return row.get("sasaran_strategis") or current, carried


def _names_an_indicator(row, line, letters, refused, facts) -> bool:
    """Whether the line's indicator cell holds something: text, or what is refused there."""
    if "indikator" not in letters:
        return False
    letter = letters["indikator"]
    column = coordinate_to_tuple(f"{letter}1")[1]
    return bool(row.get("indikator")) or (line, letter) in refused or (line, column) in facts.uncomputed


def _below_note(lines: list[int]) -> str:
    where = f"{lines[0]}\u2013{lines[-1]}" if len(lines) > 1 else str(lines[0])
    return (f"Baris {where} di bawah tabel tidak dimuat: tidak berisi indikator kinerja utama (catatan atau tanda "
            "tangan). Bila termasuk IKU, isi kolom indikatornya, lalu unggah lagi.")


def _carried_note(carried, line: int) -> str:
    hidden_line, sasaran = carried
    shown = sasaran if len(sasaran) <= FORMULA_SHOWN else sasaran[:FORMULA_SHOWN] + "\u2026"
    return (f"Sasaran strategis \u201c{shown}\u201d ada di baris {hidden_line} yang tersembunyi; sasaran itu "
            f"dimuat pada baris {line}, baris pertama di bawahnya yang tampak, dan baris yang melanjutkannya. "
            "Periksa sasarannya di tabel.")


def _listed(items) -> str:
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " dan " + items[-1]


@dataclass
class _SheetFacts:
    uncomputed: dict = field(default_factory=dict)
    hidden: set = field(default_factory=set)
    # The columns (from 0) the file hides.
    hidden_columns: set = field(default_factory=set)
    merged: list = field(default_factory=list)
    # The number of the sheet's last column that holds a cell.
    width: int = 0


def _sheet_facts(sheet) -> _SheetFacts:
    """What openpyxl's read-only sheet does not give, read from the sheet's XML itself: the hidden
    rows, the merged ranges, and (row, column) -> the formula of each cell whose value the file does
    not hold (what openpyxl and some other programs write; Excel and LibreOffice store the value
    they last worked out). openpyxl gives either the value or the formula, and an empty value the
    same whether the formula gave "" or was never worked out."""
    facts, shared, line, widest = _SheetFacts(), {}, 0, ""
    # openpyxl's read-only sheet opens its own part of the file; it has no public name for that.
    source = sheet._get_source()
    try:
        for _, element in iterparse(source):
            if element.tag == f"{SHEET_NS}row":
                line = int(element.get("r") or line + 1)
                if element.get("hidden") in ("1", "true") or _zero_height(element.get("ht")):
                    facts.hidden.add(line)
                element.clear()
                continue
            if element.tag == f"{SHEET_NS}col" and (element.get("hidden") in ("1", "true")
                                                    or _zero_height(element.get("width"))):
                first, last = int(element.get("min") or 1), int(element.get("max") or element.get("min") or 1)
                # A hidden range runs to the sheet's last column (16,384) where the clerk hid all to its right.
                facts.hidden_columns.update(range(first - 1, min(last, first + 999)))
                continue
            if element.tag == f"{SHEET_NS}mergeCell" and element.get("ref"):
                facts.merged.append(range_boundaries(element.get("ref")))
                continue
            if element.tag != f"{SHEET_NS}c":
                continue
            formula, coordinate = element.find(f"{SHEET_NS}f"), element.get("r")
            letters = CELL_COLUMN.match(coordinate or "")
            if letters and (len(letters[0]), letters[0]) > (len(widest), widest):
                widest = letters[0]
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
                facts.uncomputed[coordinate_to_tuple(coordinate)] = text
    finally:
        source.close()
    facts.width = column_index_from_string(widest) if widest else 0
    return facts


def hidden_lines(sheet) -> set[int]:
    """The rows of openpyxl's read-only `sheet` that the reader of the file does not see: hidden
    (folded away, or filtered out by an AutoFilter, which Excel records the same) or of no height.
    Another spreadsheet's reader (the people import) leaves them out as this one's does."""
    return _sheet_facts(sheet).hidden


def merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each range merged in openpyxl's read-only `sheet`,
    which gives a merged range's value in its top left cell alone."""
    return _sheet_facts(sheet).merged


def _zero_height(height) -> bool:
    try:
        return height is not None and float(height) == 0
    except ValueError:
        return False


def _shortened(formula: str) -> str:
    return formula if len(formula) <= FORMULA_SHOWN else formula[:FORMULA_SHOWN] + "…"


def _field_of(value, taken=()) -> str | None:
    """The column a heading names (its longest match in HEADINGS), among those not `taken`."""
    heading = re.sub(r"\s*/\s*", "/", " ".join(clean_text(value).lower().split()))
    matches = [(len(start), name) for name, starts in HEADINGS.items() if name not in taken
               for start in starts if heading and heading.startswith(start)]
    return max(matches)[1] if matches else None


def _columns_from_header(values, hidden=frozenset()) -> dict | None:
    """Each column's index by the heading naming it; a column `hidden` takes a name only where no
    shown column has it."""
    columns = {}
    values = list(values or ())
    for index in sorted(range(len(values)), key=lambda index: index in hidden):
        name = _field_of(values[index], columns)
        if name:
            columns[name] = index
    columns = dict(sorted(columns.items(), key=lambda item: item[1]))
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
