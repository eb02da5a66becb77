"""What a user may read of a dossier's IKU, the same for the pages (the Lampiran table, its CSV and
XLSX, the versions compared) and the API: an agency its own rows and submissions, the bureau all
of them, as `policy.can_view_submission` answers, asked once per agency's submission, not per row."""

from typing import NamedTuple

from django.http import Http404

from iku.columns import COLUMNS
from iku.consolidation import WHOLE_TABLE_ROWS
from iku.forms import fold_warnings
from iku.models import IkuSubmission
from iku.rows import OPTIONAL_EMPTY, check_table
from iku.table import numbered, shown_rows, table_rows
from lib.choices import BIGGEST_ID, plausible_id
from lib.numbers import grouped
from workflow import policy
from workflow.models import Skpd
from workflow.steps import IkuStage
from workflow.views.access import visible_dossier


def stage_named(value) -> IkuStage:
    """The IKU stage a URL names; any other word is a page that does not exist."""
    try:
        return IkuStage(value)
    except ValueError:
        raise Http404("Tahap IKU tidak dikenal.") from None


def visible_rows(user, dossier, stage, *, with_excluded=False) -> list:
    """The sent rows of `dossier`'s `stage` that `user` may read, as model objects, in the order
    every copy of the table numbers them (`iku.table.table_rows`)."""
    visible = []
    allowed: dict[int, bool] = {}
    for row in table_rows(dossier, stage, with_excluded=with_excluded):
        # The dossier already loaded (with its invited agencies) answers for every row.
        row.submission.dossier = dossier
        if row.submission_id not in allowed:
            allowed[row.submission_id] = policy.can_view_submission(user, row.submission)
        if allowed[row.submission_id]:
            visible.append(row)
    return visible


class _Sent(NamedTuple):
    """A sent submission as `policy.can_view_submission` asks about it (its dossier and agency),
    made from a shown row's values: a model object for each of 40 agencies cost the page 0.2 ms.
    Anything else the policy might come to ask of it is missing, and fails loudly, not open."""

    pk: int
    dossier: object
    skpd_id: int


def visible_shown_rows(user, dossier, stage) -> list:
    """`visible_rows(user, dossier, stage, with_excluded=True)` as the page shows them, as plain
    values (`iku.table.shown_rows`)."""
    visible = []
    allowed: dict[int, bool] = {}
    for row in shown_rows(dossier, stage):
        if row.submission_id not in allowed:
            sent = _Sent(row.submission_id, dossier, row.skpd_id)
            allowed[row.submission_id] = policy.can_view_submission(user, sent)
        if allowed[row.submission_id]:
            visible.append(row)
    return visible


def warnings_by_row(rows) -> dict:
    """Each row's warnings (by the row's pk), checked per agency since a Sasaran continues only
    within its own table."""
    warned = {}
    by_submission = {}
    for row in rows:
        by_submission.setdefault(row.submission_id, []).append(row)
    for agency_rows in by_submission.values():
        check = check_table([row.as_dict() for row in agency_rows],
                            targets_read=[row.target_nilai for row in agency_rows])
        for problem in check.warnings:
            warned.setdefault(agency_rows[problem.row - 1].pk, []).append(problem)
    return warned


def lampiran_table(user, pk, stage: IkuStage) -> dict:
    """The Lampiran table of dossier `pk`'s `stage` as `user` may read it: the dossier, its numbered
    rows (each with its `warnings` and the `doubts` among them) and the warnings counted and folded
    by kind. A dossier the user may not see is 404."""
    dossier = visible_dossier(user, pk)
    rows = visible_shown_rows(user, dossier, stage)
    warned = warnings_by_row(rows)
    for row in rows:
        row.warnings = [p.message for p in warned.get(row.pk, [])]
        row.doubts = [p.message for p in warned.get(row.pk, []) if p.code != OPTIONAL_EMPTY]
    every = [p for problems in warned.values() for p in problems]
    return {"dossier": dossier, "stage": stage, "rows": numbered(rows), "columns": COLUMNS, "stages": list(IkuStage),
            "warning_count": len(every), "warning_kinds": fold_warnings(every)}


# The `?skpd=` of the Lampiran page that shows every agency's rows at once, however long: for printing.
EVERY_AGENCY = "semua"


def agency_page(rows, asked: str) -> dict:
    """Which of a Lampiran table's numbered rows (`lampiran_table`'s `rows`) the page shows, and the
    list of agencies to choose from. Past WHOLE_TABLE_ROWS rows of more than one agency, as the
    Kasubag's page of the same table, one agency's rows at a time: a province's round (42 agencies,
    2,100 rows) made a 2 to 5 MB page that a phone or the office connection took long to open.
    `asked`: the address's ?skpd=, an agency's number, EVERY_AGENCY, or none (the first agency). An
    agency the user may not read is not among `rows`, and is answered as one that does not exist:
    the page says so beside the first agency, and tells nothing of it."""
    groups: dict[int, list] = {}
    for entry in rows:
        groups.setdefault(entry[2].skpd_id, []).append(entry)
    paged = len(rows) > WHOLE_TABLE_ROWS and len(groups) > 1
    asked_id = plausible_id(asked)
    known = asked_id in groups
    unknown = bool(asked) and asked != EVERY_AGENCY and not known
    every = not paged or asked == EVERY_AGENCY
    shown = None if every else (asked_id if known else next(iter(groups)))
    index = []
    if paged:
        for skpd_id, group in groups.items():
            numbers = [number for number, _, _ in group if number]
            index.append({
                "skpd_id": skpd_id, "nama": group[0][1], "rows": len(group),
                "first": numbers[0] if numbers else None, "last": numbers[-1] if numbers else None,
                "excluded": len(group) - len(numbers), "commented": sum(1 for *_, row in group if row.komentar),
                "warned": sum(1 for *_, row in group if row.doubts), "shown": skpd_id == shown,
            })
    at = next((n for n, entry in enumerate(index) if entry["shown"]), None)
    return {
        "rows": rows if shown is None else groups[shown], "paged": paged, "every": every and paged,
        "agency_index": index, "row_count": grouped(len(rows)),
        "shown_agency": index[at] if at is not None else None,
        "before": index[at - 1] if at else None,
        "after": index[at + 1] if at is not None and at + 1 < len(index) else None,
        # An address naming no agency the user may read (another agency's own, for an agency) is
        # said on the page, the same words either way: a 404 for one would tell them apart, and
        # the first agency's rows alone would read as the ones asked for.
        "unknown_agency": unknown,
    }


NOT_FOUND = "Kiriman tidak ditemukan."


def visible_submission(user, dossier, stage, skpd_pk) -> IkuSubmission:
    """One agency's submission of `dossier`'s `stage`, if `user` may read it; 404 otherwise. The
    policy is asked before anything is looked up, so a user who may not read that agency's table
    gets the same answer whether the agency exists, has sent or not."""
    stage = stage_named(stage)
    # A number past what the database holds is no agency (the URL takes any digits).
    if int(skpd_pk) > BIGGEST_ID or not policy.can_view_submission(
            user, IkuSubmission(dossier=dossier, skpd_id=skpd_pk, stage=stage)):
        raise Http404(NOT_FOUND)
    submission = IkuSubmission.objects.filter(dossier=dossier, skpd_id=skpd_pk, stage=stage).first()
    if submission is None:
        raise Http404("SKPD ini belum mempunyai kiriman pada tahap ini."
                      if Skpd.objects.filter(pk=skpd_pk).exists() else NOT_FOUND)
    submission.dossier = dossier
    return submission
