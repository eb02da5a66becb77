"""What an IKU row must and should hold, for every way a table comes in: the grid, a pasted block,
an XLSX file, the import command.

Real published tables leave the Sasaran blank on rows that continue the one above, often have no
Formula, Sumber data or Penanggung jawab, and write targets as text ("71,24 (akhir RPJMD 2023)").
So only what makes a row unusable is an error (no indicator, a text past its length, a table too
long); everything else is a warning the agency and the bureau read, and sending is allowed.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings

from iku.columns import COLUMNS
from lib.glyphs import undrawn, undrawn_message, word_bullets
from lib.numbers import grouped

LONG_TEXT = 2000
SHORT_TEXT = 200
MAX_ROWS = 300
NOTE_LENGTH = 2000

# Long texts are the ones a decree's Lampiran wraps over several lines.
LIMITS = {
    "sasaran_strategis": LONG_TEXT, "indikator": LONG_TEXT, "penjelasan": LONG_TEXT, "formula": LONG_TEXT,
    "satuan": SHORT_TEXT, "target": SHORT_TEXT, "sumber_data": SHORT_TEXT, "penanggung_jawab": SHORT_TEXT,
}
FIELDS = [name for name, _ in COLUMNS]
LABELS = dict(COLUMNS)

# "100.000" and "1.250,5" use the dot for thousands, as Indonesian tables do; "76.5" is read as a
# decimal point, since a thousands group has three digits.
_NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)|\d+(?:\.\d+)?")
_PERIOD = re.compile(r"\(([^()]*)\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# An optional column left empty: usual in published tables, so said quietly, apart from real doubts.
OPTIONAL_EMPTY = "optional_empty"
# A kind of warning as the summary counts it: "12 baris tanpa sumber data".
WARNING_KINDS = {
    ("no_objective", "sasaran_strategis"): "tanpa sasaran strategis (juga tidak di baris atasnya)",
    ("many_per_objective", "sasaran_strategis"): "melampaui jumlah IKU per sasaran strategis",
    ("no_target", "target"): "tanpa target",
    ("target_text", "target"): "dengan target tanpa angka",
    (OPTIONAL_EMPTY, "formula"): "tanpa formula/cara pengukuran",
    (OPTIONAL_EMPTY, "sumber_data"): "tanpa sumber data",
    (OPTIONAL_EMPTY, "penanggung_jawab"): "tanpa penanggung jawab",
}


def max_per_objective() -> int:
    return getattr(settings, "SOP_IKU_MAX_PER_SASARAN", 3)


def parse_target(text: str) -> tuple[Decimal | None, str]:
    """The number a target states and the period it names: "71,24 (akhir RPJMD 2023)" is 71.24 for
    "akhir RPJMD 2023"; "< 150 per 100.000 kelahiran hidup" is 150; "Predikat A" has no number."""
    period_match = _PERIOD.search(text)
    period = period_match.group(1).strip()[:100] if period_match else ""
    bare = _PERIOD.sub(" ", text)
    match = _NUMBER.search(bare)
    if not match:
        return None, period
    digits = match.group(0)
    if "," in digits or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        digits = digits.replace(".", "").replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None, period
    # Beyond what the column holds is no target anyone means; the text stays as typed.
    return (value if value.adjusted() < 15 else None), period


def clean_text(value) -> str:
    """A cell as text: spreadsheets give numbers and dates; control characters never print."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # A carriage return alone (a line break from an old Mac, or Excel's "_x000D_") is a line break too.
    text = _CONTROL.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n").strip()
    # A Renstra's table copied from Word keeps Word's list bullets (lib.glyphs.word_bullets).
    return word_bullets(text)


def is_blank(row: dict) -> bool:
    return not any(row.get(name) for name in FIELDS)


@dataclass
class Problem:
    """One thing to say about a table: at a row (counted from 1 as the user sees it) and a column,
    or about the whole table (row None)."""

    message: str
    row: int | None = None
    field: str | None = None
    # "too_long" and "too_many" bound what may be kept at all, even as a draft.
    code: str = ""

    @property
    def column(self) -> str:
        return LABELS.get(self.field, "")

    def where(self) -> str:
        if self.row is None:
            return ""
        return f"Baris {self.row}" + (f", kolom {self.column}" if self.field else "")

    def __str__(self) -> str:
        place = self.where()
        return f"{place}: {self.message}" if place else self.message


@dataclass
class TableCheck:
    rows: list[dict]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def keepable(self) -> bool:
        """Whether the rows may be kept as a draft: incomplete is fine, oversized is not."""
        return not any(p.code in ("too_long", "too_many") for p in self.errors)

    def at(self, row: int, name: str, kind: str = "errors") -> list[str]:
        return [p.message for p in getattr(self, kind) if p.row == row and p.field == name]


def check_table(rows: list[dict], *, row_numbers: list[int] | None = None, targets_read: list | None = None) -> TableCheck:
    """Check typed rows (blank ones already dropped). `row_numbers` names each row as the user sees
    it (a spreadsheet's line); by default 1, 2, 3... `targets_read`: each row's number as
    `parse_target` read it from its target when the row was saved (`IkuRow.target_nilai`), for rows
    read back from the database: a number found then need not be looked for again (parsing 200
    targets was most of a stored table's check); a target without one is read again."""
    targets = targets_read if targets_read is not None else [None] * len(rows)
    numbers = row_numbers or list(range(1, len(rows) + 1))
    check = TableCheck(rows=rows)
    if not rows:
        check.errors.append(Problem("Isi sedikitnya satu indikator kinerja utama."))
        return check
    if len(rows) > MAX_ROWS:
        check.errors.append(Problem(
            f"Satu tabel paling banyak {MAX_ROWS} baris; tabel ini {len(rows)} baris.", code="too_many"
        ))
        return check
    per_objective: dict[str, int] = {}
    objective = ""
    for number, row, target_read in zip(numbers, rows, targets):
        for name in FIELDS:
            value = row.get(name, "")
            if len(value) > LIMITS[name]:
                check.errors.append(Problem(
                    f"{LABELS[name]} paling banyak {grouped(LIMITS[name])} karakter; terisi {grouped(len(value))}.",
                    number, name, "too_long",
                ))
            elif char := undrawn(value):
                check.errors.append(Problem(undrawn_message(char), number, name, "undrawn"))
        if not row.get("indikator"):
            check.errors.append(Problem("Indikator kinerja utama wajib diisi.", number, "indikator"))
        objective = row.get("sasaran_strategis") or objective
        if not objective:
            check.warnings.append(Problem(
                "Sasaran strategis kosong dan tidak ada sasaran di baris atasnya.", number, "sasaran_strategis",
                "no_objective",
            ))
        else:
            per_objective[objective.lower()] = per_objective.get(objective.lower(), 0) + 1
            if per_objective[objective.lower()] == max_per_objective() + 1:
                check.warnings.append(Problem(
                    f"Lebih dari {max_per_objective()} IKU untuk satu sasaran strategis.", number, "sasaran_strategis",
                    "many_per_objective",
                ))
        for name, message in (
            ("formula", "Formula/cara pengukuran belum diisi."),
            ("sumber_data", "Sumber data belum diisi."),
            ("penanggung_jawab", "Penanggung jawab belum diisi."),
        ):
            if not row.get(name):
                check.warnings.append(Problem(message, number, name, OPTIONAL_EMPTY))
        if not row.get("target"):
            check.warnings.append(Problem("Target belum diisi.", number, "target", "no_target"))
        elif target_read is None and parse_target(row["target"])[0] is None:
            check.warnings.append(Problem("Target tidak memuat angka.", number, "target", "target_text"))
    return check


def objectives_spanned(rows) -> list:
    """Each row with the Sasaran it falls under: a blank Sasaran continues the one above, as a
    decree's Lampiran prints it. Works on dicts and on IkuRow objects."""
    current = ""
    spanned = []
    for row in rows:
        value = row.get("sasaran_strategis", "") if isinstance(row, dict) else row.sasaran_strategis
        current = value or current
        spanned.append((current, row))
    return spanned
