"""The round as the bureau follows it: which invited agency has sent its Konsep and its Bahan,
which has only a draft or nothing, who is late against the step's Waktu; and reminding the missing
ones, once a day at most."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import IntegrityError, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from iku.models import IkuReminder, IkuSubmission
from lib import written_sql as sql
from workflow import sla
from workflow.models import Dossier, Invitation, Skpd, User
from workflow.steps import STEPS, IkuStage, step_for

SENT, REOPENED, DRAFT, NOT_STARTED, LATE, MISSED = "terkirim", "dibuka", "draf", "belum", "terlambat", "tidak"
# A deactivated agency has left the rounds: what it did not send is awaited no more, neither late nor missed.
LEFT = "nonaktif"
LABELS = {
    SENT: "Terkirim", REOPENED: "Dibuka kembali", DRAFT: "Baru draf", NOT_STARTED: "Belum mulai",
    LATE: "Terlambat", MISSED: "Tidak mengirim", LEFT: "Tidak ditunggu (nonaktif)",
}
STAGE_STEPS = {IkuStage(s.iku_stage): s for s in STEPS if s.iku_stage}


class Agency(NamedTuple):
    """An invited agency as the round's table shows it."""

    pk: int
    nama_pendek: str
    # A deactivated agency has left the rounds: shown as such, not waited for.
    aktif: bool = True


class Kept(NamedTuple):
    """What the round's table keeps of one submission: its state (`draft` says only whether there
    is one, all a cell asks of it)."""

    pk: int
    stage: str
    submitted_at: dt.datetime | None
    reopened_at: dt.datetime | None
    draft: bool


@dataclass
class Cell:
    status: str
    # An IkuSubmission (`matrix`) or its `Kept` state (`round_table`).
    submission: IkuSubmission | Kept | None

    @property
    def sent_at(self):
        return self.submission.submitted_at if self.submission is not None else None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def stage_label(self) -> str:
        """'Konsep IKU', 'Bahan penyusunan IKU': which column the cell stands in, for what names it."""
        return IkuStage(self.submission.stage).label if self.submission is not None else ""

    @property
    def missing(self) -> bool:
        return self.status in (DRAFT, NOT_STARTED, LATE, REOPENED)


def _stage_position(dossier, stage) -> str:
    """'now' while the dossier stands at the stage's step, 'past' once it moved on, 'future' before."""
    step = step_for(dossier.state)
    stage_step = STAGE_STEPS[stage]
    if step is None:
        return "past" if dossier.closed_at else "future"
    if step.number == stage_step.number:
        return "now"
    return "past" if step.number > stage_step.number else "future"


def cell_status(submission, position: str, step_late: bool, *, active: bool = True) -> str:
    if submission is not None and submission.reopened_at is not None and active:
        return REOPENED
    if submission is not None and submission.submitted_at is not None:
        return SENT
    if not active:
        return LEFT
    if position == "past":
        return MISSED
    if position == "now" and step_late:
        return LATE
    return DRAFT if submission is not None and submission.draft else NOT_STARTED


def matrix(dossier, agencies, *, now=None, timeline=None) -> dict:
    """{"stages": [...], "rows": [(agency, [Cell per stage])]} in two queries plus the clock's.
    `timeline`: the dossier's clocks (`sla.history`) when the caller has them; the running one is
    the step's, and the clock is not read again."""
    submissions = {(s.skpd_id, s.stage): s for s in dossier.submissions.all()}
    return _table(dossier, agencies, submissions, now=now, timeline=timeline)


# What the round's table reads of a submission, in `Kept`'s order.
_KEPT = ("id", "stage", "submitted_at", "reopened_at")


def round_table(dossier, skpd_id=None, *, agency_only=False, now=None, timeline=None) -> dict:
    """`matrix` for the invited agencies (with `agency_only`, only agency `skpd_id`, if invited),
    read with their submissions in one query of plain values. The dossier page made 40 agencies and
    40 submissions model objects, in two queries, to show a name and a state each (1.3 ms of the
    view's 6); the ORM joins an agency's submissions of one dossier only through a FilteredRelation,
    which cost more to build than the two queries (1.2 ms), so the join is written out (0.6 ms)."""
    connection = connections[dossier._state.db or "default"]

    def column(model, name):
        return sql.column(connection, model, name)

    def table(model):
        return sql.table(connection, model)

    invited = Dossier.invited.through
    skpd, name, active = column(Skpd, "id"), column(Skpd, "nama_pendek"), column(Skpd, "aktif")
    invited_skpd, invited_dossier = column(invited, "skpd"), column(invited, "dossier")
    # Whether a draft is kept, asked of the database: the draft itself is every row an agency typed
    # (forty rows and their texts each, on the busy days of a round), read and decoded for nothing.
    # A draft is always a list, stored as JSON ("[]" when empty) on either database.
    kept = ", ".join([*(f"s.{column(IkuSubmission, field)}" for field in _KEPT),
                      f"s.{column(IkuSubmission, 'draft')} <> '[]'"])
    statement = (
        f"SELECT a.{skpd}, a.{name}, a.{active}, {kept} FROM {table(Skpd)} a"
        f" INNER JOIN {table(invited)} i ON i.{invited_skpd} = a.{skpd}"
        # Each agency's submissions of this dossier (the unique dossier, agency, stage index).
        f" LEFT OUTER JOIN {table(IkuSubmission)} s ON s.{column(IkuSubmission, 'dossier')} = i.{invited_dossier}"
        f" AND s.{column(IkuSubmission, 'skpd')} = a.{skpd}"
        f" WHERE i.{invited_dossier} = %s" + (f" AND a.{skpd} = %s" if agency_only else "")
        # Skpd's own order (its Meta), ties by id.
        + f" ORDER BY a.{name}, a.{skpd}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [dossier.pk, skpd_id] if agency_only else [dossier.pk])
        found = cursor.fetchall()
    read = [IkuSubmission._meta.get_field(name) for name in ("submitted_at", "reopened_at")]
    listed, submissions = [], {}
    # A forwarded round lists the agencies as its decree named them (Invitation.keep_names).
    named = Invitation.objects.names_of_record(dossier)
    for agency_id, agency_name, agency_active, pk, stage, *values in found:
        if not listed or listed[-1].pk != agency_id:
            listed.append(Agency(agency_id, named.get(agency_id, (None, agency_name))[1], bool(agency_active)))
        if pk is not None:
            # As the ORM would read them: aware moments.
            submitted_at, reopened_at = sql.converted(connection, read, values[:2])
            submissions[(agency_id, stage)] = Kept(pk, stage, submitted_at, reopened_at, bool(values[2]))
    return _table(dossier, listed, submissions, now=now, timeline=timeline)


def _table(dossier, agencies, submissions, *, now, timeline) -> dict:
    stages = list(STAGE_STEPS)
    # The stage the agencies send at now (3, 5), whose clock makes an unsent table late.
    sending = _current_stage(dossier)
    # The stage the round waits on now: that one, or at step 6 the one reopened tables are sent
    # again at (`awaited`), where only those are missing (the others' cells are past, sent or not).
    current = _awaited_stage(dossier)
    clock = None
    if sending and timeline is not None:
        clock = next((c for c in timeline if c.running), None)
    elif sending:
        clock = sla.current_clocks([dossier], now=now).get(dossier.pk)
    late = clock is not None and clock.status == sla.LATE
    positions = {stage: _stage_position(dossier, stage) for stage in stages}
    rows = [
        (agency, [Cell(cell_status(submissions.get((agency.pk, stage)), positions[stage], late,
                                   active=getattr(agency, "aktif", True)),
                       submissions.get((agency.pk, stage))) for stage in stages])
        for agency in agencies
    ]
    column = stages.index(current) if current else None
    missing = [agency for agency, cells in rows if column is not None and cells[column].missing]
    return {"stages": stages, "rows": rows, "current": current, "missing": missing, "missing_now": len(missing),
            # At step 6 the missing ones are the tables reopened for fixes, not sent again.
            "reopened_only": current is not None and sending is None}


def invites_agencies(dossier) -> bool:
    """Whether the round still asks the agencies for their IKU: up to the last step they send at (5).
    Before, they are told of it; after, the bureau works on what they sent."""
    step = step_for(dossier.state)
    last = max(stage_step.number for stage_step in STAGE_STEPS.values())
    return step is not None and step.number <= last


def without_officer(dossier, agencies, reached=None) -> list:
    """The invited agencies still taking part that no active user acts for (role SKPD, that
    agency) while the round still waits on the agencies: nobody there is told of the round, nor can
    send its IKU. On a fresh install that is every agency until the admin adds their officers.
    `reached`: `reach` of these agencies, when the caller has asked it already."""
    if not invites_agencies(dossier):
        return []
    return unstaffed([agency for agency in agencies if getattr(agency, "aktif", True)], reached)


def waiting_without_officer(agency) -> list:
    """The running dossiers whose step still waits for `agency`'s IKU (`awaited`) while no active
    user acts for it: what the admin who just moved or switched off its last officer must hear, or
    the round waits on an agency nobody there is told of or can send for. [] while someone acts."""
    if agency is None or not agency.aktif or officers([agency]).exists():
        return []
    states = [step.state for step in STEPS if step.iku_awaited]
    found = Dossier.objects.filter(invited=agency, state__in=states).order_by("state_entered_at", "pk")
    return [dossier for dossier in found if any(a.pk == agency.pk for a in awaited(dossier))]


def officers(agencies):
    """The active users who act for any of `agencies` (agencies, or a query of them: role SKPD, that
    agency): those told of a round and able to send its IKU."""
    from workflow.roles import Role

    return User.objects.filter(is_active=True, role_set__role=Role.SKPD, skpd__in=agencies).distinct()


def reach(agencies) -> dict[int, bool]:
    """{agency pk: whether a reminder reaches it (an officer of it has an e-mail address)} for those
    of `agencies` an active officer acts for, in one query: `unstaffed` and `reachable` both answer
    from it, and the dossier page, which asks both, asks it once."""
    reached: dict[int, bool] = {}
    for skpd_id, email in officers(agencies).values_list("skpd_id", "email"):
        reached[skpd_id] = reached.get(skpd_id, False) or bool(email)
    return reached


def unstaffed(agencies, reached=None) -> list:
    """Those of `agencies` no active user acts for (role SKPD, that agency), in their order.
    `reached`: their `reach`, when the caller has it already."""
    reached = reach(agencies) if reached is None else reached
    return [agency for agency in agencies if agency.pk not in reached]


def reachable(agencies, reached=None) -> list:
    """Those of `agencies` a reminder reaches: an officer (as `unstaffed` counts them) with an
    e-mail address. The dossier's button counts these, and `remind_missing` mails them."""
    reached = reach(agencies) if reached is None else reached
    return [agency for agency in agencies if reached.get(agency.pk)]


def _current_stage(dossier):
    step = step_for(dossier.state)
    return IkuStage(step.iku_stage) if step and step.iku_stage else None


def _awaited_stage(dossier):
    """The stage whose tables the round waits on now (`awaited`): the one the agencies send at (3, 5),
    or the one a step reopens for fixes (6)."""
    step = step_for(dossier.state)
    stage = step and step.iku_awaited
    return IkuStage(stage) if stage else None


def awaited(dossier, step=None) -> list:
    """The invited agencies, still taking part, whose IKU the dossier waits for at `step` (the one it
    stands at, by default), in name order, each with `reopened`: whether the bureau sent its table
    back for fixes. At a step where the agencies send (3, 5): each that has not sent, or whose table
    was reopened and not sent again; at a step that reopens tables (6): each reopened and not sent
    again. The one answer the finish gate, its form, the reminders and the round's overview give
    (`cell_status` reads the same rule off the table's row): the gate once counted a reopened table
    as sent while the reminders counted it as awaited. A deactivated agency has left the rounds."""
    step = dossier.step if step is None else step
    stage = step.iku_awaited if step is not None else ""
    if not stage:
        return []
    submissions = IkuSubmission.objects.filter(dossier=dossier, stage=stage)
    reopened = submissions.filter(reopened_at__isnull=False)
    agencies = dossier.invited.filter(aktif=True)
    if step.iku_stage:
        agencies = agencies.exclude(pk__in=submissions.filter(
            submitted_at__isnull=False, reopened_at__isnull=True).values("skpd"))
    else:
        agencies = agencies.filter(pk__in=reopened.values("skpd"))
    return list(agencies.annotate(reopened=Exists(reopened.filter(skpd=OuterRef("pk")))).order_by("nama_pendek", "pk"))


def reopened_awaited(dossiers) -> dict[int, list[str]]:
    """`awaited` of those of `dossiers` standing at a step that reopens tables (6), for a page of rows
    (the Kasubag's inbox) in one query, not one each: {dossier pk: the short names of the agencies,
    invited and still taking part, whose reopened table it waits for, in name order}."""
    stages = {}
    for dossier in dossiers:
        step = step_for(dossier.state)
        if step is not None and step.reopens_iku and not step.iku_stage:
            stages.setdefault(step.reopens_iku, []).append(dossier.pk)
    found = {pk: [] for pks in stages.values() for pk in pks}
    if not found:
        return found
    at = Q()
    for stage, pks in stages.items():
        at |= Q(dossier_id__in=pks, stage=stage)
    invited = Dossier.invited.through.objects.filter(dossier_id=OuterRef("dossier_id"), skpd_id=OuterRef("skpd_id"))
    for dossier_id, name in (IkuSubmission.objects.filter(at, Exists(invited), reopened_at__isnull=False, skpd__aktif=True)
                             .order_by("skpd__nama_pendek", "skpd_id").values_list("dossier_id", "skpd__nama_pendek")):
        found[dossier_id].append(name)
    return found


def still_awaited(reminder) -> bool:
    """Whether the round still waits for what `reminder` asked of its agency: it stands at the
    reminder's stage (not cancelled, not moved on) and the agency, still taking part, has not sent it
    (at step 6: has not sent its reopened table again)."""
    dossier = reminder.dossier
    return (_awaited_stage(dossier) == reminder.stage
            and any(agency.pk == reminder.skpd_id for agency in awaited(dossier)))


class Reminded(NamedTuple):
    """What `remind_missing` did: the agencies reminded, those reminded today already, and those it
    could not reach, for whom nothing is recorded: apart, since the admin does something else for
    each, those nobody acts for (`unstaffed`: an officer to add) and those whose officers have no
    e-mail address (`unmailed`: an address to fill in)."""

    reminded: list
    skipped: list
    unstaffed: list
    unmailed: list

    @property
    def unreachable(self) -> list:
        return sorted(self.unstaffed + self.unmailed, key=lambda agency: (agency.nama_pendek, agency.pk))


def _renewed(dossier, agency, stage, today, by, now):
    """Today's reminder of `agency`, made the reminder asked now when its table was reopened since it
    went: it asked for a table the agency then sent (at step 5, before the step closed and step 6
    reopened it for fixes), and counted as today's reminder, the Kasubag read "Sudah diingatkan hari
    ini" and the fixes went unreminded until the next day. None when today's reminder stands."""
    reopened_at = (IkuSubmission.objects.filter(dossier=dossier, skpd=agency, stage=stage)
                   .values_list("reopened_at", flat=True).first())
    if reopened_at is None:
        return None
    # Asked in the update itself: of two clicks at once, one renews it.
    today_s = IkuReminder.objects.filter(dossier=dossier, skpd=agency, stage=stage, day=today)
    if not today_s.filter(sent_at__lt=reopened_at).update(sent_by=by, sent_at=now, emailed=0):
        return None
    return today_s.get()


def remind_missing(dossier, by, *, now=None) -> Reminded:
    """Record a reminder for each agency whose IKU the round waits on (`awaited`: at steps 3 and 5 not
    sent, at step 6 reopened and not sent again), and mail it; those already reminded today and those
    nobody can be mailed at are left out."""
    from iku.tasks import mail_reminders

    stage = _awaited_stage(dossier)
    now = now or timezone.now()
    today = timezone.localdate(now)
    missing = awaited(dossier)
    reached = reach(missing)
    mailed = reachable(missing, reached)
    reminded, skipped = [], []
    nobody = unstaffed(missing, reached)
    unmailed = [agency for agency in missing if agency not in mailed and agency not in nobody]
    for agency in mailed:
        try:
            with transaction.atomic():
                reminder = IkuReminder.objects.create(
                    dossier=dossier, skpd=agency, stage=stage, day=today, sent_by=by, sent_at=now
                )
        except IntegrityError:
            reminder = _renewed(dossier, agency, stage, today, by, now)
            if reminder is None:
                skipped.append(agency)
                continue
        reminded.append(agency)
        transaction.on_commit(lambda pk=reminder.pk: mail_reminders.enqueue(pk))
    return Reminded(reminded, skipped, nobody, unmailed)
