"""Each step visit against its Mutu Baku Waktu: start, due moment, working time used, status.

A visit's clock starts when the dossier enters the step and stops when it leaves; a step returned
(7 back to 6) is a new visit with a new clock. The list pages call the batch functions, which read
the calendar once and the visits in one query, however many dossiers are shown.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lib.dates import duration_text, local, moment_text
from lib.update_each import update_each
from workflow.models import Dossier, StepVisit
from workflow.steps import ACTIVE_STATES, STEP_BY_STATE, STEP_STATES, Step
from worktime.clock import Calendar
from worktime.models import load_calendar

OK, NEAR, LATE = "ok", "near", "late"
STATUS_LABELS = {OK: "Tepat waktu", NEAR: "Mendekati batas waktu", LATE: "Terlambat"}
# "Near due" is the last fifth of the Waktu.
NEAR_FROM = 0.8


@dataclass(frozen=True)
class StepClock:
    visit_id: int
    dossier_id: int
    step: Step
    # 1 for the first stay in this step, 2 after the first return, ...
    attempt: int
    start: dt.datetime
    end: dt.datetime | None
    due: dt.datetime
    allowed: dt.timedelta
    used: dt.timedelta
    status: str

    @property
    def running(self) -> bool:
        return self.end is None

    @property
    def status_label(self) -> str:
        if self.running or self.status == LATE:
            return STATUS_LABELS[self.status]
        return "Selesai tepat waktu"

    @property
    def waktu_label(self) -> str:
        return str(self.step.waktu)

    @property
    def start_label(self) -> str:
        return moment_text(self.start)

    @property
    def end_label(self) -> str:
        return moment_text(self.end) if self.end else ""

    @property
    def due_label(self) -> str:
        return moment_text(self.due)

    @property
    def used_label(self) -> str:
        return duration_text(self.used)

    @property
    def allowed_label(self) -> str:
        return duration_text(self.allowed)

    @property
    def used_minutes(self) -> int:
        return int(self.used // dt.timedelta(minutes=1))

    @property
    def allowed_minutes(self) -> int:
        return int(self.allowed // dt.timedelta(minutes=1))

    @property
    def percent(self) -> int:
        """Working time used as a share of the Waktu, in whole percent (may pass 100)."""
        return int(100 * self.used / self.allowed) if self.allowed else 0


def timing(state: str, entered_at, calendar: Calendar) -> tuple:
    """(due, near, allowed) for a stay entering `state` at `entered_at`: when its Waktu runs out,
    when four fifths of it are used, and the working time between entering and due; all None for a
    position the SOP does not time."""
    step = STEP_BY_STATE.get(state)
    if step is None:
        return None, None, None
    due = calendar.add_waktu(entered_at, step.waktu.amount, step.waktu.unit)
    allowed = calendar.working_time(entered_at, due)
    return due, calendar.add_working_time(entered_at, allowed * NEAR_FROM), allowed


def due_moments(state: str, entered_at, calendar: Calendar) -> tuple:
    """(due, near) of `timing` (migration 0010 stores them with this)."""
    return timing(state, entered_at, calendar)[:2]


STORED = ["due_at", "near_at", "allowed_seconds", "used_seconds"]


def schedule(visit, calendar: Calendar | None = None):
    """Set the visit's stored due and near moments, the working time its Waktu allows and, once it
    has ended, the working time it used (not saved)."""
    calendar = calendar or load_calendar()
    visit.due_at, visit.near_at, allowed = timing(visit.state, visit.entered_at, calendar)
    if visit.due_at is None:
        visit.allowed_seconds = visit.used_seconds = None
        return visit
    visit.allowed_seconds = int(allowed.total_seconds())
    visit.used_seconds = (
        int(calendar.working_time(visit.entered_at, visit.left_at).total_seconds()) if visit.left_at else None
    )
    return visit


def reschedule_open(calendar: Calendar | None = None) -> int:
    """Work the stored moments of every open stay out again: the calendar changed under them."""
    calendar = calendar or load_calendar()
    visits = list(StepVisit.objects.filter(left_at__isnull=True, state__in=STEP_STATES))
    for visit in visits:
        schedule(visit, calendar)
    update_each(StepVisit, visits, STORED)
    copy_due_moments()
    return len(visits)


# The open stay's moments its dossier carries a copy of.
MOMENTS = ["due_at", "near_at"]
# What a dossier's save after `copy_moments` writes: the copies and the link to the stay itself.
COPIED = [*MOMENTS, "open_stay"]


def copy_moments(stay, dossier):
    """Give `dossier` (not saved) its open `stay` and that stay's moments, None for none."""
    for name in MOMENTS:
        setattr(dossier, name, getattr(stay, name) if stay else None)
    dossier.open_stay = stay


def copy_due_moments(dossiers: QuerySet | None = None) -> int:
    """Give each dossier (all, or those of `dossiers`) its open stay and that stay's moments in one
    statement, after stays were written in bulk."""
    open_stay = StepVisit.objects.filter(dossier=OuterRef("pk"), left_at__isnull=True).order_by("-pk")
    chosen = Dossier.objects.all() if dossiers is None else Dossier.objects.filter(pk__in=dossiers.values("pk"))
    return chosen.update(open_stay=Subquery(open_stay.values("pk")[:1]),
                         **{name: Subquery(open_stay.values(name)[:1]) for name in MOMENTS})


def forget_worked() -> int:
    """Mark every ended stay's stored figures out of date (the calendar changed under them); the
    report works each out again the first time it needs it (`fill_worked`)."""
    return StepVisit.objects.filter(left_at__isnull=False, used_seconds__isnull=False).update(used_seconds=None)


def fill_worked(visits: QuerySet, calendar: Calendar | None = None) -> int:
    """Store the figures of the ended, timed stays among `visits` that have none yet."""
    missing = list(visits.filter(left_at__isnull=False, used_seconds__isnull=True, state__in=STEP_STATES))
    if missing:
        calendar = calendar or load_calendar()
        for visit in missing:
            schedule(visit, calendar)
        update_each(StepVisit, missing, STORED)
    return len(missing)


def stored_clock(visit, *, attempt: int, now=None, calendar: Calendar | None = None) -> StepClock:
    """The clock of a timed visit from its stored figures; only a running stay's time used so far is
    worked out from the calendar, and an ended stay whose figures a calendar edit voided
    (`used_seconds` emptied, its due moment of the old calendar) is worked out again whole."""
    if visit.left_at is None:
        return measure(visit, now=now, calendar=calendar, attempt=attempt, stored=True)
    if visit.used_seconds is None:
        return measure(visit, now=now, calendar=calendar, attempt=attempt)
    status = LATE if visit.left_at > visit.due_at else OK
    return StepClock(visit.pk, visit.dossier_id, STEP_BY_STATE[visit.state], attempt, local(visit.entered_at),
                     local(visit.left_at), visit.due_at, dt.timedelta(seconds=visit.allowed_seconds or 0),
                     dt.timedelta(seconds=visit.used_seconds), status)


def status_by_state(dossiers, *, now=None, **more) -> dict[str, dict[str, int]]:
    """state -> how many of `dossiers` (a queryset) stand there ("n"), and of those at a timed step
    how many are ok, near and late: one pass over the moments the dossiers carry, however many.
    `more`: further aggregates over the same dossiers per state (the report's fingerprint), kept in
    each state's row under their names."""
    now = now or timezone.now()
    # Counted over the columns the running dossiers' index carries (state, due and near moments),
    # never the id: PostgreSQL then reads that index alone.
    rows = dossiers.order_by().values("state").annotate(
        n=Count("state"),
        timed=Count("due_at"),
        **{LATE: Count("state", filter=Q(due_at__lt=now)), NEAR: Count("state", filter=Q(due_at__gte=now, near_at__lte=now))},
        **more,
    )
    found = {}
    for row in rows:
        state, timed = row.pop("state"), row.pop("timed")
        found[state] = {**row, OK: timed - row[LATE] - row[NEAR]}
    return found


def totals(by_state: dict[str, dict[str, int]]) -> dict[str, int]:
    """How many are ok, near and late at all the positions of a `status_by_state`."""
    return {status: sum(row[status] for row in by_state.values()) for status in (OK, NEAR, LATE)}


def status_counts(dossiers, *, now=None) -> dict[str, int]:
    """How many of `dossiers` (a queryset) stand at a timed step ok, near and late, in one query."""
    return totals(status_by_state(dossiers, now=now))


def overdue(dossiers, *, now=None) -> QuerySet:
    """The dossiers of `dossiers` (a queryset) past their step's due moment, the longest overdue
    first (the inbox's index)."""
    return dossiers.filter(due_at__lt=now or timezone.now()).order_by("due_at", "state_entered_at", "pk")


def is_overdue(dossier, now) -> bool:
    """Whether `dossier`'s running step is past its stored due moment (`overdue`, for one dossier)."""
    return bool(dossier.state in ACTIVE_STATES and dossier.due_at and dossier.due_at < now)


def measure(visit, *, now=None, calendar: Calendar | None = None, attempt: int = 1,
            stored: bool = False) -> StepClock | None:
    """The clock of one StepVisit; None for a position the SOP does not time (the Governor's desk).

    `stored`: read the stay's due and near moments and its allowed time as stored (kept with the
    office calendar by `schedule` and `reschedule_open`) instead of working them out again from
    `calendar`; only the time used so far is counted then.
    """
    if visit.state not in STEP_BY_STATE:
        return None
    return clock_of(visit.pk, visit.dossier_id, visit.state, attempt, visit.entered_at, visit.left_at,
                    *((visit.due_at, visit.near_at, visit.allowed_seconds) if stored else (None, None, None)),
                    now=now, calendar=calendar)


def clock_of(visit_id, dossier_id, state, attempt, entered_at, left_at, due_at=None, near_at=None,
             allowed_seconds=None, *, now=None, calendar: Calendar | None = None) -> StepClock | None:
    """The clock of one stay from its columns (`measure` of a model, or a list's row that read the
    stay's columns); its stored due and near moments and allowed time are read when given, else
    worked out from `calendar`."""
    step = STEP_BY_STATE.get(state)
    if step is None:
        return None
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    if allowed_seconds is not None:
        due, near, allowed = local(due_at), near_at, dt.timedelta(seconds=allowed_seconds)
    else:
        due, near, allowed = timing(state, entered_at, calendar)
    stop = left_at or max(now, entered_at)
    used = calendar.working_time(entered_at, stop)
    if stop > due:
        status = LATE
    elif left_at is None and stop >= near:
        status = NEAR
    else:
        status = OK
    return StepClock(visit_id, dossier_id, step, attempt, local(entered_at),
                     local(left_at) if left_at else None, due, allowed, used, status)


# The open stay's columns a list of dossiers reads (through `Dossier.open_stay`) for its clocks.
OPEN_STAY = ["open_stay_id", "open_stay__state", "open_stay__entered_at", "open_stay__due_at", "open_stay__near_at",
             "open_stay__allowed_seconds", "open_stay__attempt"]


def open_clock(dossier_id, stay: tuple, *, now=None, calendar: Calendar | None = None) -> StepClock | None:
    """The clock of a dossier's open stay from the `OPEN_STAY` columns its row read; None at an
    untimed position or none open. No query: the stay's stored moments, allowed time and number."""
    visit_id, state, entered_at, due_at, near_at, allowed_seconds, attempt = stay
    if visit_id is None:
        return None
    return clock_of(visit_id, dossier_id, state, attempt, entered_at, None, due_at, near_at, allowed_seconds,
                    now=now, calendar=calendar)


def _visits(dossiers, **filters) -> QuerySet:
    if isinstance(dossiers, QuerySet):
        # A subquery: the dossiers are not fetched again.
        chosen = {"dossier__in": dossiers.values("pk")}
    else:
        chosen = {"dossier_id__in": [getattr(d, "pk", d) for d in dossiers]}
    return StepVisit.objects.filter(state__in=STEP_STATES, **chosen, **filters).order_by("entered_at", "pk")


def current_clocks(dossiers, *, now=None, calendar: Calendar | None = None) -> dict[int, StepClock]:
    """dossier id -> the clock of the step it stands at now; absent for a dossier at no timed step.

    `dossiers`: a queryset, or a list of Dossier objects or ids. Four queries in all (one once the
    process keeps the calendar). Without a `calendar`, the stays' stored moments under the office
    calendar are read, not worked out again.
    """
    stored = calendar is None
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    # Each stay carries its number at its position (`StepVisit.attempt`), not counted here.
    visits = _visits(dossiers, left_at__isnull=True)
    return {v.dossier_id: measure(v, now=now, calendar=calendar, attempt=v.attempt, stored=stored) for v in visits}


def histories(dossiers, *, now=None, calendar: Calendar | None = None, visits=None) -> dict[int, list[StepClock]]:
    """dossier id -> the clocks of all its timed visits, oldest first (returned steps included).
    `visits`: the dossiers' stays already loaded in that order, so they are not fetched again.
    Without a `calendar`, each stay's figures are read as stored under the office calendar
    (`stored_clock`, as the report reads them); with one, they are worked out under it."""
    stored = calendar is None
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    found: dict[int, list[StepClock]] = {}
    seen: dict[tuple[int, str], int] = {}
    timed = _visits(dossiers) if visits is None else [v for v in visits if v.state in STEP_STATES]
    for visit in timed:
        key = (visit.dossier_id, visit.state)
        seen[key] = seen.get(key, 0) + 1
        clock = (stored_clock(visit, attempt=seen[key], now=now, calendar=calendar) if stored
                 else measure(visit, now=now, calendar=calendar, attempt=seen[key]))
        found.setdefault(visit.dossier_id, []).append(clock)
    return found


def history(dossier, *, now=None, calendar: Calendar | None = None, visits=None) -> list[StepClock]:
    """The timeline of one dossier."""
    return histories([dossier], now=now, calendar=calendar, visits=visits).get(dossier.pk, [])


def attach(dossiers, *, now=None, calendar: Calendar | None = None) -> list:
    """Set `dossier.clock` (a StepClock or None) on each dossier, for a template; returns them."""
    dossiers = list(dossiers)
    clocks = current_clocks(dossiers, now=now, calendar=calendar)
    for dossier in dossiers:
        dossier.clock = clocks.get(dossier.pk)
    return dossiers


def counts(clocks) -> dict[str, int]:
    """How many of `clocks` are ok, near and late (for the dashboard)."""
    found = {OK: 0, NEAR: 0, LATE: 0}
    for clock in clocks:
        if clock is not None:
            found[clock.status] += 1
    return found
