"""The API's JSON bodies, read so that whatever a program sends is answered with a short 400 in
Indonesian rather than DRF's English parse error (which quotes Python's own) or a 500: nesting deep
enough to exhaust the stack, bytes that are not UTF-8, NaN and Infinity, numbers no column holds,
characters no database stores, and anything but an object at the top."""

import json
import math
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NOT_JSON = "Isi permintaan bukan JSON yang sah: "
NOT_OBJECT = "Isi permintaan harus objek JSON."
# Every body the API takes is an object of values or of lists of objects: a few levels deep.
MAX_DEPTH = 32
# A database's integer column (and SQLite's whole integer) is 64 bits; past it a number is a 500
# wherever it reaches a query, and its conversion from thousands of digits is slow.
BIGGEST_INT = 2**63 - 1
# NUL: PostgreSQL refuses it in text and jsonb. A lone surrogate cannot be encoded as UTF-8, so it
# is refused by the database and by the renderer of any answer that shows it again.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# Python's own reasons (json.decoder and its C scanner), by how each begins.
REASONS = (
    ("Expecting value", "nilai yang diharapkan tidak ada"),
    ("Expecting property name", "nama kolom harus teks dalam tanda petik ganda"),
    ("Expecting ':' delimiter", "tanda titik dua (:) tidak ada"),
    ("Expecting ',' delimiter", "tanda koma (,) tidak ada"),
    ("Unterminated string", "teks tidak ditutup tanda petik"),
    ("Invalid control character", "ada karakter kendali di dalam teks"),
    ("Invalid \\uXXXX escape", "escape \\u tidak lengkap"),
    ("Invalid \\escape", "escape dengan garis miring terbalik tidak dikenal"),
    ("Extra data", "ada isi lain sesudah nilai JSON"),
    ("Illegal trailing comma", "ada koma sebelum kurung tutup"),
)


class Refused(ValueError):
    """A value the decoder read but the API does not take; its message is the client's."""


def _refuse_constant(name):
    raise Refused(f"{name} bukan nilai JSON; kirim angka biasa atau null.")


def _bounded_int(text):
    # Checked on the digits before converting them: 4,300 of them are a ValueError, fewer but many
    # cost time, and any past 64 bits fail the query they reach.
    if len(text.lstrip("-")) > 19 or abs(int(text)) > BIGGEST_INT:
        raise Refused("bilangan bulat terlalu besar (paling besar 9223372036854775807).")
    return int(text)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise Refused("bilangan terlalu besar.")
    return value


def _reason(error: json.JSONDecodeError) -> str:
    said = next((ours for theirs, ours in REASONS if error.msg.startswith(theirs)), "susunannya rusak")
    # "baris" alone would read as a row of the IKU table.
    return f"{said} (teks JSON baris {error.lineno}, kolom {error.colno})."


def _check(data) -> None:
    """Refuse nesting past MAX_DEPTH and text no database stores, walking without recursion so a
    body just under the decoder's limit cannot exhaust the stack here either."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if UNSTORABLE.search(value):
                raise ParseError(NOT_JSON + "teks memuat karakter NUL (\\u0000) atau surrogate \\uD800–\\uDFFF "
                                            "tanpa pasangan, yang tidak dapat disimpan.")
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise ParseError(NOT_JSON + f"bersarang terlalu dalam (paling dalam {MAX_DEPTH} tingkat).")
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        pending.extend((item, depth + 1) for item in items)


class JsonBody(JSONParser):
    """A JSONParser still, so DRF reads the body through `request.body`, which enforces
    DATA_UPLOAD_MAX_MEMORY_SIZE (api.errors answers that with 413)."""

    def parse(self, stream, media_type=None, parser_context=None):
        # JSON is UTF-8 (RFC 8259), whatever charset the header names; a leading BOM is tolerated.
        try:
            text = stream.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ParseError(NOT_JSON + f"bukan teks UTF-8 (bita ke-{error.start + 1}).") from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_int=_bounded_int,
                              parse_float=_finite_float)
        except RecursionError:
            raise ParseError(NOT_JSON + f"bersarang terlalu dalam (paling dalam {MAX_DEPTH} tingkat).") from None
        except json.JSONDecodeError as error:
            raise ParseError(NOT_JSON + _reason(error)) from None
        except Refused as error:
            raise ParseError(NOT_JSON + str(error)) from None
        _check(data)
        if not isinstance(data, dict):
            raise ParseError(NOT_OBJECT)
        return data
