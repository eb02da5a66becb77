"""An agency's IKU table for one dossier and stage: where the grid starts from, its draft, and the
rows a send hands to the `ajukan_iku` transition."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q

from iku.models import IkuRow, IkuSubmission
from iku.rows import FIELDS, clean_text, is_blank
from workflow.models import Dossier, Invitation
from workflow.steps import DIBATALKAN, SELESAI, IkuStage


def sending_stage(dossier) -> IkuStage | None:
    """The stage an agency sends at the dossier's step: its own, or the one the bureau reopens there."""
    step = dossier.step
    stage = step and step.iku_awaited
    return IkuStage(stage) if stage else None


def submission_for(dossier, skpd, stage) -> IkuSubmission | None:
    if skpd is None or stage is None:
        return None
    return IkuSubmission.objects.filter(dossier=dossier, skpd=skpd, stage=stage).first()


# The Kasubag's order for this table, else the admin's (Skpd.order, the SOTK order the letters
# and the decree use), then the name: the page, CSV, XLSX and the decree number alike.
AGENCY_ORDER = ("urutan", "skpd__order", "skpd__nama_pendek", "pk")


def table_rows(dossier, stage, skpd=None, *, with_excluded=False) -> list[IkuRow]:
    """The sent rows of a dossier's stage in the order every copy of the table numbers them (the
    page, CSV, XLSX, the command, the Nota and the draft decree): agencies in the order the
    Kasubag set (else by name), then each agency's own order; rows the bureau left out only if
    asked for. The rows of one agency share its submission (and agency) object: 200 rows from 40
    agencies make 40 of each, not 200."""
    submissions = IkuSubmission.objects.filter(dossier=dossier, stage=stage, submitted_at__isnull=False)
    if skpd is not None:
        submissions = submissions.filter(skpd=skpd)
    # The agencies' order comes from the database (its collation orders the names), the rows'
    # within each agency from their own numbers: a join for the sort alone made the database hash
    # every agency's submissions of every year.
    sent = {s.pk: s for s in submissions.select_related("skpd").order_by(*AGENCY_ORDER)}
    if not sent:
        return []
    named = Invitation.objects.names_of_record(dossier)
    for submission in sent.values():
        # In memory, never saved: a forwarded round's decree and tables name the agency as it was then.
        submission.skpd.nama, submission.skpd.nama_pendek = named.get(
            submission.skpd_id, (submission.skpd.nama, submission.skpd.nama_pendek))
    rank = {pk: n for n, pk in enumerate(sent)}
    rows = sorted(IkuRow.objects.filter(submission__in=list(sent)),
                  key=lambda row: (rank[row.submission_id], row.urutan, row.pk))
    for row in rows:
        row.submission = sent[row.submission_id]
    return rows if with_excluded else kept_under_their_sasaran(rows)


def kept_under_their_sasaran(rows: list[IkuRow]) -> list[IkuRow]:
    """The rows the bureau did not leave out, each still under its Sasaran. A blank Sasaran
    continues the one above; where the row that carried it was left out, the first kept row under
    it carries it instead (in memory, never saved), or every copy of the table would print the
    rows after it under no Sasaran, or under the one before."""
    kept = []
    spanned: dict[int, str] = {}  # each agency's Sasaran so far, left-out rows included
    shown: dict[int, str] = {}  # each agency's Sasaran as its kept rows read so far
    for row in rows:
        agency = row.submission_id
        spanned[agency] = row.sasaran_strategis or spanned.get(agency, "")
        if row.dikeluarkan:
            continue
        if not row.sasaran_strategis and spanned[agency] != shown.get(agency, ""):
            row.sasaran_strategis = spanned[agency]
        shown[agency] = spanned[agency]
        kept.append(row)
    return kept


@dataclass(slots=True)
class ShownRow:
    """A sent row as the Lampiran page shows it: its texts, the bureau's hand on it, its agency."""

    pk: int
    submission_id: int
    skpd_id: int
    agency: str
    sasaran_strategis: str
    indikator: str
    penjelasan: str
    formula: str
    satuan: str
    target: str
    sumber_data: str
    penanggung_jawab: str
    dikeluarkan: str
    komentar: str
    # The number read from `target` when the row was saved (IkuRow.read_target): its warnings need
    # not parse every target again.
    target_nilai: Decimal | None
    warnings: list = field(default_factory=list)
    # The warnings the page lists on the row: all but empty optional columns, counted above it.
    doubts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


# ShownRow's fields, in its order.
SHOWN = ("pk", "submission_id", "submission__skpd_id", "submission__skpd__nama_pendek", *FIELDS,
         "dikeluarkan", "komentar", "target_nilai")


def shown_rows(dossier, stage) -> list[ShownRow]:
    """`table_rows(dossier, stage, with_excluded=True)` for the page, in the same order, as plain
    values in one query (rows joined to their submission and agency, each by its key): the page
    made 200 rows, 40 submissions and 40 agencies model objects to show their texts."""
    rows = IkuRow.objects.filter(submission__dossier=dossier, submission__stage=stage,
                                 submission__submitted_at__isnull=False)
    # table_rows' order: the agencies as the Kasubag set them (else by name, in the database's
    # collation), then each agency's own.
    order = [f"submission__{name}" for name in AGENCY_ORDER] + ["urutan", "pk"]
    shown = [ShownRow(*values) for values in rows.order_by(*order).values_list(*SHOWN)]
    if named := Invitation.objects.names_of_record(dossier):
        # A forwarded round names the agencies as its decree did (Invitation.keep_names).
        for row in shown:
            row.agency = named.get(row.skpd_id, (None, row.agency))[1]
    return shown


def numbered(rows) -> list[tuple[int | None, str, IkuRow]]:
    """(number, agency, row): numbered throughout, a row left out keeps no number."""
    out, number = [], 0
    for row in rows:
        if not row.dikeluarkan:
            number += 1
        agency = row.agency if isinstance(row, ShownRow) else row.submission.skpd.nama_pendek
        out.append((number if not row.dikeluarkan else None, agency, row))
    return out


def sent_rows(submission: IkuSubmission | None) -> list[dict]:
    if submission is None or submission.submitted_at is None:
        return []
    return [row.as_dict() for row in submission.rows.all()]


def decree_before(dossier, skpd=None):
    """The closed round whose decree `dossier` starts from and is compared with: an earlier round of
    the same year (the year's IKU set again at the Governor's request: what is revised is the decree
    in force, not last year's), else last year's latest. With `skpd`, the latest that decreed that
    agency's IKU (a revision may invite only some); None when there is none."""
    # One query: the same year's sorts first (its higher year), then the latest closed.
    closed = (Dossier.objects.filter(state=SELESAI).exclude(pk=dossier.pk)
              .filter(Q(tahun=dossier.tahun, created_at__lt=dossier.created_at) | Q(tahun=dossier.tahun - 1))
              .order_by("-tahun", "-closed_at", "-pk"))
    if skpd is not None:
        closed = closed.filter(invited=skpd)
    return closed.first()


def decrees_revised(dossier) -> list:
    """The decrees of `dossier`'s year that it revises, in the order they were made: the closed
    rounds of the same year opened before it (none for a year's first round). Those opened after
    it are not among them, so a revision's draft printed years later cites what it revised. Read
    once for the dossier as loaded: its draft's Tentang, Menimbang and diktum each ask."""
    if "_decrees_revised" not in vars(dossier):
        dossier._decrees_revised = list(
            Dossier.objects.filter(tahun=dossier.tahun, state=SELESAI, created_at__lt=dossier.created_at)
            .exclude(pk=dossier.pk).exclude(nomor_kepgub="").order_by("closed_at", "pk"))
    return dossier._decrees_revised


def decrees_revising(dossier, among=None) -> list:
    """The decrees that later rounds of `dossier`'s year made, revising its decree, in the order
    they were made (`decrees_revised` seen from the other side); `among`: only those of these
    dossiers (the ones a user may see)."""
    return decrees_revising_each([dossier], among)[dossier.pk]


def decrees_revising_each(dossiers, among=None) -> dict[int, list]:
    """`decrees_revising` of each of `dossiers` (anything with `pk`, `tahun` and `created_at`: an
    archive row), by pk, in one query."""
    among = Dossier.objects.all() if among is None else among
    decrees = list(among.filter(tahun__in={dossier.tahun for dossier in dossiers}, state=SELESAI)
                   .exclude(nomor_kepgub="").order_by("closed_at", "pk"))
    return {dossier.pk: [later for later in decrees if later.tahun == dossier.tahun
                         and later.created_at > dossier.created_at and later.pk != dossier.pk]
            for dossier in dossiers}


def decree_named(dossier, previous) -> str:
    """`previous` (`decree_before`) as the pages name it after "IKU" or "keputusan": last year's by its
    year; the same year's by its number too, which tells it apart from the revision being made."""
    if previous is not None and previous.tahun == dossier.tahun:
        return f"tahun {previous.tahun} yang berlaku (Keputusan Gubernur Nomor {previous.nomor_kepgub})"
    return f"tahun {dossier.tahun - 1}"


def decree_rows(previous, skpd) -> list[dict]:
    """The agency's rows in the decree of `previous` (`decree_before`; none when None): the Bahan of
    that closed dossier, as its Lampiran lists them (a row the bureau left out was not decreed, and
    is not copied back as if it had been; the rows under its Sasaran keep it)."""
    return [row.as_dict() for row in table_rows(previous, IkuStage.BAHAN, skpd)] if previous else []


def cancelled_round(dossier, skpd, stage) -> Dossier | None:
    """The latest cancelled round of the same year where the agency typed (a draft) or sent its
    table at `stage`, or None. A round opened twice by mistake is cancelled, and what an agency
    typed into it can no longer be opened anywhere: the round kept offers it to start from."""
    if skpd is None or stage is None:
        return None
    typed = IkuSubmission.objects.filter(skpd=skpd, stage=stage).filter(
        Q(draft_saved_at__isnull=False) | Q(submitted_at__isnull=False))
    return (Dossier.objects.filter(tahun=dossier.tahun, state=DIBATALKAN, pk__in=typed.values("dossier"))
            .exclude(pk=dossier.pk).order_by("-closed_at", "-pk").first())


def cancelled_rows(cancelled, skpd, stage) -> list[dict]:
    """The agency's table at `stage` in `cancelled` (`cancelled_round`): as typed there (its draft),
    else as sent."""
    found = submission_for(cancelled, skpd, stage) if cancelled is not None else None
    if found is None:
        return []
    return found.draft if found.draft_saved_at and found.draft else sent_rows(found)


def starting_rows(submission, dossier, skpd, stage) -> tuple[list[dict], str]:
    """What the grid shows first, and where it came from: the draft, else what was sent, else (at
    the Bahan) the agency's own Konsep. `submission`: the agency's at `stage` (`submission_for`),
    or None."""
    if submission and submission.draft:
        return submission.draft, "draf"
    if submission and submission.submitted_at:
        return sent_rows(submission), "terkirim"
    if stage == IkuStage.BAHAN:
        konsep = sent_rows(submission_for(dossier, skpd, IkuStage.KONSEP))
        if konsep:
            return konsep, "konsep"
    return [], ""


def typed_rows(rows: list[dict]) -> list[dict]:
    """Rows as text in the field order, blank ones dropped."""
    cleaned = [{name: clean_text(row.get(name)) for name in FIELDS} for row in rows]
    return [row for row in cleaned if not is_blank(row)]


def to_rows(rows: list[dict]) -> list[IkuRow]:
    made = []
    for row in rows:
        iku_row = IkuRow(**{name: row.get(name, "") for name in FIELDS})
        iku_row.read_target()
        made.append(iku_row)
    return made


class TableChanged(Exception):
    """The agency's table was sent or saved from another page since this one was made (found under
    the submission's row lock, where two pages saving at once meet)."""


def save_draft(dossier, skpd, stage, rows: list[dict], at, note: str | None = None,
               seen: tuple[str, str] | None = None, by=None) -> IkuSubmission:
    """Keep the grid's rows (and the note typed beside them, if given) as the agency's draft; what
    was sent stays as it was. `seen`: the table's last version number and draft moment as the page
    was made from them; another page's send or save since raises TableChanged, unless the draft it
    kept is this one (the same page saved again after a lost answer). `by`: the officer saving it
    (None: an admin's import)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                submission, _ = IkuSubmission.objects.select_for_update().get_or_create(
                    dossier=dossier, skpd=skpd, stage=stage
                )
                if seen is not None:
                    version = submission.versions.order_by("-nomor").values_list("nomor", flat=True).first()
                    now = (str(version or 0), submission.draft_mark)
                    if now != tuple(seen):
                        if now[0] == seen[0] and submission.holds_draft(rows, note):
                            return submission
                        raise TableChanged
                submission.draft = rows
                submission.draft_saved_at = at
                submission.draft_saved_by = by
                kept = ["draft", "draft_saved_at", "draft_saved_by"]
                if note is not None:
                    submission.draft_catatan = note
                    kept.append("draft_catatan")
                submission.save(update_fields=kept)
                return submission
        except IntegrityError:
            # Two officers of the agency saved the first draft at once: the other one made the row.
            continue
    raise IntegrityError("draft not saved")
