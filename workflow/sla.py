"""Each step visit against its Mutu Baku Waktu: start, due moment, working time used, status.

A visit's clock starts when the dossier enters the step and stops when it leaves; a step returned
(7 back to 6) is a new visit with a new clock. The list pages call the batch functions, which read
the calendar once and the visits in one query, however many dossiers are shown.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils import timezone

from lib.dates import duration_text, local, moment_text
from workflow.models import StepVisit
from workflow.steps import STEP_BY_STATE, STEP_STATES, Step
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


def measure(visit, *, now=None, calendar: Calendar | None = None, attempt: int = 1) -> StepClock | None:
    """The clock of one StepVisit; None for a position the SOP does not time (the Governor's desk)."""
    step = STEP_BY_STATE.get(visit.state)
    if step is None:
        return None
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    due = calendar.add_waktu(visit.entered_at, step.waktu.amount, step.waktu.unit)
    stop = visit.left_at or max(now, visit.entered_at)
    used = calendar.working_time(visit.entered_at, stop)
    allowed = calendar.working_time(visit.entered_at, due)
    if stop > due:
        status = LATE
    elif visit.left_at is None and used >= allowed * NEAR_FROM:
        status = NEAR
    else:
        status = OK
    return StepClock(visit.pk, visit.dossier_id, step, attempt, local(visit.entered_at),
                     local(visit.left_at) if visit.left_at else None, due, allowed, used, status)


def _visits(dossiers, **filters) -> QuerySet:
    if isinstance(dossiers, QuerySet):
        # A subquery: the dossiers are not fetched again.
        chosen = {"dossier__in": dossiers.values("pk")}
    else:
        chosen = {"dossier_id__in": [getattr(d, "pk", d) for d in dossiers]}
    return StepVisit.objects.filter(state__in=STEP_STATES, **chosen, **filters).order_by("entered_at", "pk")


def current_clocks(dossiers, *, now=None, calendar: Calendar | None = None) -> dict[int, StepClock]:
    """dossier id -> the clock of the step it stands at now; absent for a dossier at no timed step.

    `dossiers`: a queryset, or a list of Dossier objects or ids. Four queries in all.
    """
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    stays = (
        StepVisit.objects.filter(dossier=OuterRef("dossier"), state=OuterRef("state"), pk__lte=OuterRef("pk"))
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    visits = _visits(dossiers, left_at__isnull=True).annotate(attempt=Subquery(stays))
    return {v.dossier_id: measure(v, now=now, calendar=calendar, attempt=v.attempt) for v in visits}


def histories(dossiers, *, now=None, calendar: Calendar | None = None) -> dict[int, list[StepClock]]:
    """dossier id -> the clocks of all its timed visits, oldest first (returned steps included)."""
    calendar = calendar or load_calendar()
    now = now or timezone.now()
    found: dict[int, list[StepClock]] = {}
    seen: dict[tuple[int, str], int] = {}
    for visit in _visits(dossiers):
        key = (visit.dossier_id, visit.state)
        seen[key] = seen.get(key, 0) + 1
        found.setdefault(visit.dossier_id, []).append(
            measure(visit, now=now, calendar=calendar, attempt=seen[key])
        )
    return found


def history(dossier, *, now=None, calendar: Calendar | None = None) -> list[StepClock]:
    """The timeline of one dossier."""
    return histories([dossier], now=now, calendar=calendar).get(dossier.pk, [])


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
