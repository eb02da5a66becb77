"""The provincial table: the agencies' latest Bahan as one list, in the order the Kasubag sets, with
the rows left out (and why) and the bureau's comments; numbered once for the page, the CSV, the
XLSX, the Nota and the draft decree alike (`iku.table.numbered`).

Each change is one `atur_tabel_iku` transition, so it is logged with the old and the new value.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from iku.models import IkuRow, IkuSubmission
from iku.rows import FIELDS, LABELS

EDIT, EXCLUDE, INCLUDE, COMMENT, ROW_UP, ROW_DOWN, AGENCY_UP, AGENCY_DOWN = (
    "ubah", "keluarkan", "masukkan", "komentar", "baris_naik", "baris_turun", "skpd_naik", "skpd_turun",
)
OPERATIONS = {
    EDIT: "Ubah baris", EXCLUDE: "Keluarkan baris", INCLUDE: "Masukkan kembali", COMMENT: "Komentar untuk SKPD",
    ROW_UP: "Naikkan baris", ROW_DOWN: "Turunkan baris", AGENCY_UP: "Naikkan SKPD", AGENCY_DOWN: "Turunkan SKPD",
}


@dataclass
class Change:
    op: str
    row: IkuRow
    values: dict = field(default_factory=dict)
    text: str = ""


def apply(change: Change) -> dict:
    """Make the change; returns the audit note and data (old and new values)."""
    row, op = change.row, change.op
    where = f"{row.submission.skpd.nama_pendek}, \u201c{row.indikator[:80]}\u201d"
    if op == EDIT:
        before = {name: getattr(row, name) for name in FIELDS}
        changed = {name: value for name, value in change.values.items() if before.get(name) != value}
        if not changed:
            # Saved unchanged: nothing to write, and nothing for the history to say.
            raise ValidationError("Tidak ada yang diubah pada baris ini: ubah isiannya, atau tekan Batal.",
                                  code="unchanged")
        for name, value in changed.items():
            setattr(row, name, value)
        row.read_target()
        row.save()
        labels = ", ".join(LABELS[name] for name in changed) or "tidak ada"
        return {"note": f"Baris {where} diubah: {labels}",
                "data": {"baris": row.pk, "lama": {n: before[n] for n in changed}, "baru": changed}}
    if op in (EXCLUDE, INCLUDE, COMMENT):
        attribute = "komentar" if op == COMMENT else "dikeluarkan"
        before = getattr(row, attribute)
        after = change.text if op != INCLUDE else ""
        setattr(row, attribute, after)
        row.save(update_fields=[attribute])
        notes = {EXCLUDE: f"Baris {where} dikeluarkan: {after}", INCLUDE: f"Baris {where} dimasukkan kembali",
                 COMMENT: f"Komentar pada baris {where}: {after}"}
        return {"note": notes[op], "data": {"baris": row.pk, "lama": {attribute: before}, "baru": {attribute: after}}}
    if op in (ROW_UP, ROW_DOWN):
        rows = list(row.submission.rows.order_by("urutan", "pk"))
        return _move(rows, rows.index(row), -1 if op == ROW_UP else 1, "urutan", f"Baris {where} dipindah")
    submissions = list(
        IkuSubmission.objects.filter(dossier=row.submission.dossier_id, stage=row.submission.stage,
                                     submitted_at__isnull=False).order_by("urutan", "skpd__order", "skpd__nama_pendek")
    )
    position = [s.pk for s in submissions].index(row.submission_id)
    return _move(submissions, position, -1 if op == AGENCY_UP else 1, "urutan",
                 f"{row.submission.skpd.nama_pendek} dipindah dalam tabel IKU Provinsi")


def _move(items, index, step, attribute, note) -> dict:
    """Renumber `items` 1..n with the one at `index` moved by `step` (nothing past either end)."""
    target = index + step
    if not 0 <= target < len(items):
        raise ValidationError("Sudah paling atas: tidak dapat dinaikkan lagi." if step < 0 else
                              "Sudah paling bawah: tidak dapat diturunkan lagi.", code="unchanged")
    items[index], items[target] = items[target], items[index]
    for number, item in enumerate(items, start=1):
        if getattr(item, attribute) != number:
            setattr(item, attribute, number)
            item.save(update_fields=[attribute])
    return {"note": note, "data": {"urutan": [item.pk for item in items]}}
