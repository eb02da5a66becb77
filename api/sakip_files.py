"""A SAKIP table (`api.sakip.table`) as the file a tool imports: JSON, CSV or XLSX."""

import io
import json

from openpyxl import Workbook

from api.sakip import SHAPES
from lib.csv_export import SafeWriter

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def as_json(shape: str, dossier, start: int, rows: list[dict]) -> bytes:
    return json.dumps({"bentuk": shape, "tahun_keputusan": dossier.tahun, "nomor_keputusan": dossier.nomor_kepgub,
                       "rentang": [start, start + 4], "baris": rows}, ensure_ascii=False, indent=1).encode()


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
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def render(kind: str, shape: str, dossier, start: int, rows: list[dict]) -> bytes:
    if kind == "json":
        return as_json(shape, dossier, start, rows)
    return as_csv(shape, rows) if kind == "csv" else as_xlsx(shape, rows)
