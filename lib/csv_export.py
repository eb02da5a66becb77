"""CSV downloads in the shape an office spreadsheet set to Indonesian reads (UTF-8 with BOM, ";",
decimal comma), each cell neutralised so it never runs as a formula. A spreadsheet still reads a
text that looks like a date or a number as one ("12/2027", "007"): the IKU pages offer XLSX first,
whose text cells stay text, and say so."""

import csv

from django.http import HttpResponse

from lib.spreadsheet_safety import neutralise


class SafeWriter:
    """A csv writer whose cells can never run as a formula in the spreadsheet that opens them."""

    def __init__(self, stream):
        self._writer = csv.writer(stream, delimiter=";")

    def writerow(self, row):
        return self._writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str):
    """(response, writer): UTF-8 with a byte-order mark, so Excel reads it as UTF-8, and semicolons,
    since the decimal comma is taken."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, SafeWriter(response)
