"""The provincial table: the agencies' latest Bahan as one list, in the order the Kasubag sets, with
the rows left out (and why) and the bureau's comments; numbered once for the page, the CSV, the
XLSX, the Nota and the draft decree alike (`iku.table.numbered`).

Each change is one `atur_tabel_iku` transition, so it is logged with the old and the new value.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from iku.bureau_changes import last_change_said
from iku.models import IkuRow, IkuSubmission
from iku.rows import FIELDS, LABELS, objectives_spanned

EDIT, EXCLUDE, INCLUDE, COMMENT, ROW_UP, ROW_DOWN, AGENCY_UP, AGENCY_DOWN = (
    "ubah", "keluarkan", "masukkan", "komentar", "baris_naik", "baris_turun", "skpd_naik", "skpd_turun",
)
OPERATIONS = {
    EDIT: "Ubah baris", EXCLUDE: "Keluarkan baris", INCLUDE: "Masukkan kembali", COMMENT: "Komentar untuk SKPD",
    ROW_UP: "Naikkan baris", ROW_DOWN: "Turunkan baris", AGENCY_UP: "Naikkan SKPD", AGENCY_DOWN: "Turunkan SKPD",
}


# The most rows the Kasubag's page shows at once, every agency's; a longer table is shown one agency
# at a time, from a list of them all (each row carries its edit form, about 7 KB of page).
WHOLE_TABLE_ROWS = 60

# The hidden field of a row's edit form: the row's cells as its page showed them (IkuRow.edit_mark).
SEEN_ROW = "versi_baris"


@dataclass
class Change:
    op: str
    row: IkuRow
    values: dict = field(default_factory=dict)
    text: str = ""
    # An edit's IkuRow.edit_mark as its page showed the row; None: not checked (a program's change).
    seen: str | None = None


def check_unchanged(row: IkuRow, seen: str | None) -> None:
    """Refuse an edit made from a page that showed the row before another edit of it, naming that
    edit: its cells as loaded, written back, would undo it unseen."""
    if seen is None or seen == row.edit_mark:
        return
    what = last_change_said(row.submission.dossier_id, [row.pk])
    raise ValidationError(
        f"Baris ini diubah sejak halaman ini dibuka{what}, sehingga perubahan Anda belum disimpan: isian yang dimuat "
        "halaman ini akan menimpa perubahan itu tanpa diketahui. Isian Anda masih di baris ini; bandingkan dengan "
        "isinya sekarang di atasnya, lalu simpan lagi bila memang ini yang benar.", code="row_changed")


def apply(change: Change) -> dict:
    """Make the change; returns the audit note and data (old and new values)."""
    row, op = change.row, change.op
    where = f"{row.submission.skpd.nama_pendek}, \u201c{row.indikator[:80]}\u201d"
    if op == EDIT:
        # Read again under the dossier's lock, which every change holds: the form read it before.
        row.refresh_from_db()
        check_unchanged(row, change.seen)
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
        index, step = rows.index(row), -1 if op == ROW_UP else 1
        if not 0 <= index + step < len(rows):
            raise ValidationError(_END[step], code="unchanged")
        rewritten = _keep_sasaran(rows, index, step)
        done = _move(rows, index, step, "urutan", f"Baris {where} dipindah")
        if rewritten:
            done["note"] += "; " + "; ".join(
                f"sasaran strategis baris \u201c{item.indikator[:80]}\u201d "
                + (f"ditulis \u201c{after[:80]}\u201d" if after else "dikosongkan (sama dengan baris di atasnya)")
                for item, _, after in rewritten
            )
            done["data"]["sasaran"] = [{"baris": item.pk, "lama": before, "baru": after}
                                       for item, before, after in rewritten]
        return done
    submissions = list(
        IkuSubmission.objects.filter(dossier=row.submission.dossier_id, stage=row.submission.stage,
                                     submitted_at__isnull=False).order_by("urutan", "skpd__order", "skpd__nama_pendek")
    )
    position = [s.pk for s in submissions].index(row.submission_id)
    return _move(submissions, position, -1 if op == AGENCY_UP else 1, "urutan",
                 f"{row.submission.skpd.nama_pendek} dipindah dalam tabel IKU Provinsi")


_END = {-1: "Sudah paling atas: tidak dapat dinaikkan lagi.", 1: "Sudah paling bawah: tidak dapat diturunkan lagi."}


def _keep_sasaran(rows, index, step) -> list[tuple[IkuRow, str, str]]:
    """Before the row at `index` moves by `step` within its agency's rows: write into each row whose
    Sasaran would change the one it was sent under. A blank Sasaran continues the one above, so the
    order alone decides which Sasaran the blank rows print under in every copy of the table; a move
    that only renumbered put the rows after the moved one under another Sasaran, silently. Where the
    move leaves one of the swapped rows (or the row after them) repeating the Sasaran right above it,
    it is blanked instead: the agency wrote its Sasaran once over its group, and the decree prints a
    repeated one as a group of its own. Returns (row, before, after) for each row written, saved."""
    spanned = objectives_spanned(rows)
    sent_under = {item.pk: sasaran for sasaran, item in spanned}
    # Rows the agency itself sent repeating the Sasaran above them stay as sent.
    repeating = {item.pk for (above, _), (_, item) in zip(spanned, spanned[1:])
                 if item.sasaran_strategis and item.sasaran_strategis == above}
    moved = list(rows)
    moved[index], moved[index + step] = moved[index + step], moved[index]
    touched = range(min(index, index + step), min(index, index + step) + 3)
    rewritten, current = [], ""
    for place, item in enumerate(moved):
        own, under = item.sasaran_strategis, sent_under[item.pk]
        if own and own == current and place in touched and item.pk not in repeating:
            rewritten.append((item, own, ""))
        elif own:
            current = own
        elif under != current:
            if not under:
                # No Sasaran can be written to keep a row under none; the bureau decides which.
                raise ValidationError(
                    f"Baris \u201c{item.indikator[:80]}\u201d tidak memiliki sasaran strategis; dengan "
                    f"pemindahan ini baris itu akan tercetak di bawah sasaran \u201c{current[:80]}\u201d. "
                    "Isi dahulu sasaran strategisnya (Ubah baris), lalu pindahkan.",
                    code="no_objective",
                )
            rewritten.append((item, "", under))
            current = under
    for item, _, after in rewritten:
        item.sasaran_strategis = after
        item.save(update_fields=["sasaran_strategis"])
    return rewritten


def _move(items, index, step, attribute, note) -> dict:
    """Renumber `items` 1..n with the one at `index` moved by `step` (nothing past either end)."""
    target = index + step
    if not 0 <= target < len(items):
        raise ValidationError(_END[step], code="unchanged")
    items[index], items[target] = items[target], items[index]
    renumbered = []
    for number, item in enumerate(items, start=1):
        if getattr(item, attribute) != number:
            setattr(item, attribute, number)
            renumbered.append(item)
    # In one statement: the first agency moved renumbers all of a province's 55 (each left at 0 until
    # then), a save each.
    type(items[0]).objects.bulk_update(renumbered, [attribute])
    return {"note": note, "data": {"urutan": [item.pk for item in items]}}
