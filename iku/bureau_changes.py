"""What the bureau did to an agency's table since the agency last sent it, for the agency to read
when the table is reopened for it: the cells the Kasubag corrected in the provincial table, her
comments, and the rows she left out. Read from the rows as they stand against the version sent
(the rows are made in the order sent, so they pair with the version's by id)."""

from dataclasses import dataclass, field

from iku.rows import FIELDS, LABELS
from lib.fingerprint import fingerprint
from workflow.actions import Action


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


def rows_mark(submission) -> str:
    """The agency's sent rows as they stand, in a word, for the grid page to carry: the bureau
    corrects, comments on, leaves out and moves them (iku.consolidation) without a new version, and
    a send from a page made before would replace them unseen. "" before anything is sent."""
    if submission is None or submission.pk is None or submission.submitted_at is None:
        return ""
    values = list(submission.rows.order_by("pk").values_list(*FIELDS, "komentar", "dikeluarkan", "urutan"))
    return fingerprint(values, 20)


def last_change_said(dossier_id, rows) -> str:
    """" (who, when: what)" of the bureau's latest change to any of `rows` (ids) in the provincial
    table, for a refusal to name; "" when none is on record."""
    from lib.dates import moment_text
    from workflow.models import AuditEvent

    last = (AuditEvent.objects.filter(dossier=dossier_id, action=Action.ATUR_TABEL_IKU, data__baris__in=rows)
            .order_by("-at", "-pk").first()) if rows else None
    return f" ({last.actor_label}, {moment_text(last.at)}: {last.note})" if last is not None else ""


def changed_news(submission, reread: str = "") -> str:
    """The refusal of a send or save from a page made before the bureau's latest change to the rows:
    who changed what, when. A program's (`reread`: what it reads and sends again) has no page."""
    what = last_change_said(submission.dossier_id, list(submission.rows.values_list("pk", flat=True)))
    if reread:
        return (f"Biro Kesra mengubah tabel ini sejak tanda_tabel yang Anda kirim dibaca{what}. Tidak ada yang "
                f"disimpan, agar perubahan Biro tidak tertimpa tanpa Anda baca. {reread}")
    return (f"Biro Kesra mengubah tabel ini sejak halaman ini dibuka{what}. Isian Anda belum disimpan dan masih di "
            "bawah, agar perubahan Biro tidak tertimpa tanpa Anda baca: bandingkan, lalu kirim lagi bila memang ini "
            "yang benar.")
