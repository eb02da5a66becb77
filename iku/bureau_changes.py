"""What the bureau did to an agency's table since the agency last sent it, for the agency to read
when the table is reopened for it: the cells the Kasubag corrected in the provincial table, her
comments, and the rows she left out. Read from the rows as they stand against the version sent
(the rows are made in the order sent, so they pair with the version's by id)."""

from dataclasses import dataclass, field

from iku.rows import FIELDS, LABELS


@dataclass
class BureauChange:
    indikator: str
    # (column label, as sent, as the bureau left it)
    edits: list[tuple[str, str, str]] = field(default_factory=list)
    komentar: str = ""
    dikeluarkan: str = ""


def since_last_send(submission, version) -> list[BureauChange]:
    """The rows of `submission` the bureau changed, commented on or left out since `version` (the
    agency's last send), in the order sent."""
    if submission is None or version is None:
        return []
    changes = []
    for sent, row in zip(version.rows, submission.rows.order_by("pk"), strict=False):
        edits = [(LABELS[name], sent.get(name, ""), getattr(row, name)) for name in FIELDS
                 if sent.get(name, "") != getattr(row, name)]
        if edits or row.komentar or row.dikeluarkan:
            changes.append(BureauChange(row.indikator, edits, row.komentar, row.dikeluarkan))
    return changes
