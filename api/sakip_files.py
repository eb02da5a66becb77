"""A SAKIP table (`api.sakip.table`) as the file a tool imports: JSON, CSV or XLSX."""

import io
import json

from openpyxl import Workbook

from api.sakip import REALISATIONS_NOTE, SHAPES
from lib.csv_export import SafeWriter

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# What a reader of the file must know besides its rows; the CSV, whose every line is a row of the
# shape, carries none of it (docs/api.md says it).
NOTES = {"esakip": REALISATIONS_NOTE}


def as_json(shape: str, dossier, start: int, rows: list[dict]) -> bytes:
    found = {"bentuk": shape, "tahun_keputusan": dossier.tahun, "nomor_keputusan": dossier.nomor_kepgub,
             "rentang": [start, start + 4]}
    if shape in NOTES:
        found["keterangan"] = NOTES[shape]
    return json.dumps({**found, "baris": rows}, ensure_ascii=False, indent=1).encode()


def as_csv(shape: str, rows: list[dict]) -> bytes:
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = SafeWriter(stream)
    writer.writerow(SHAPES[shape])
    for row in rows:
        writer.writerow([row[name] for name in SHAPES[shape]])
    return stream.getvalue().encode()


def as_xlsx(shape: str, rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = shape
    sheet.append(list(SHAPES[shape]))
    for line, row in enumerate(rows, start=2):
        for column, name in enumerate(SHAPES[shape], start=1):
            # Text, always: a cell beginning with "=" stays words and never runs as a formula.
            cell = sheet.cell(row=line, column=column, value=row[name])
            cell.data_type = "s"
    if shape in NOTES:
        # A sheet after the rows: e-SAKIP imports the first sheet, a person reads this one.
        book.create_sheet("Keterangan").append([NOTES[shape]])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def render(kind: str, shape: str, dossier, start: int, rows: list[dict]) -> bytes:
    if kind == "json":
        return as_json(shape, dossier, start, rows)
    return as_csv(shape, rows) if kind == "csv" else as_xlsx(shape, rows)
