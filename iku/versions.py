"""Two states of an agency's table side by side: what was added, removed and changed, field by field.

Rows are matched by their indicator, the one thing a row is about; rows whose indicator changed
read as one removed and one added, which is how a reviewer would describe it.
"""

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from iku.rows import FIELDS, LABELS, objectives_spanned

ADDED, REMOVED, CHANGED, SAME = "tambah", "hapus", "ubah", "sama"
KIND_LABELS = {ADDED: "Ditambah", REMOVED: "Dihapus", CHANGED: "Diubah", SAME: "Tetap"}


def row_key(row: dict) -> str:
    return " ".join((row.get("indikator") or "").lower().split())


def _words(text) -> str:
    return " ".join((text or "").lower().split())


@dataclass
class RowDiff:
    kind: str
    old: dict | None
    new: dict | None
    changed: set = field(default_factory=set)
    # Its own among the diffs compared (`_keyed`): the agency's reason for it is kept under it.
    key: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def indikator(self) -> str:
        return (self.new or self.old).get("indikator", "")

    def cells(self):
        """(column label, old value, new value, changed?) for every column."""
        return [
            (LABELS[name], (self.old or {}).get(name, ""), (self.new or {}).get(name, ""), name in self.changed)
            for name in FIELDS
        ]


def _spanned(rows: list[dict]) -> list[dict]:
    # Compared as the decree reads them: a blank Sasaran is the one above.
    return [dict(row, sasaran_strategis=objective) for objective, row in objectives_spanned(rows)]


def compare(old_rows: list[dict], new_rows: list[dict]) -> list[RowDiff]:
    old_rows, new_rows = _spanned(old_rows), _spanned(new_rows)
    matcher = SequenceMatcher(a=[row_key(r) for r in old_rows], b=[row_key(r) for r in new_rows], autojunk=False)
    diffs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for old, new in zip(old_rows[i1:i2], new_rows[j1:j2]):
                changed = {name for name in FIELDS if (old.get(name) or "") != (new.get(name) or "")}
                diffs.append(RowDiff(CHANGED if changed else SAME, old, new, changed))
            continue
        diffs.extend(RowDiff(REMOVED, old, None) for old in old_rows[i1:i2])
        diffs.extend(RowDiff(ADDED, None, new) for new in new_rows[j1:j2])
    return _keyed(diffs)


def _keyed(diffs: list[RowDiff]) -> list[RowDiff]:
    """Key each diff by its indicator, as reasons have been kept all along; where rows share an
    indicator (one under each of two Sasaran), by its Sasaran too, and by its place among the rows
    sharing both, so that each row keeps its own reason."""
    shared = Counter(row_key(d.new or d.old) for d in diffs)
    seen = Counter()
    for diff in diffs:
        row = diff.new or diff.old
        diff.key = row_key(row)
        if shared[diff.key] > 1:
            pair = (_words(row.get("sasaran_strategis")), diff.key)
            seen[pair] += 1
            diff.key = f"{pair[0]} / {pair[1]} #{seen[pair]}"
    return diffs


def summary(diffs: list[RowDiff]) -> dict:
    counts = {kind: 0 for kind in KIND_LABELS}
    for diff in diffs:
        counts[diff.kind] += 1
    return {KIND_LABELS[kind]: n for kind, n in counts.items()}
