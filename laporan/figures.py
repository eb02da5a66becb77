"""The working-time report's figures: per step, over one year's dossiers, the time used against the
Waktu.

Figures count finished stays only (a stay still running has no final time yet); every stay of a
returned step counts on its own. The late list adds the stays still running past their due moment.
Each ended stay's working time is stored (workflow.sla.schedule), so a year of stays is read, not
counted hour by hour on every request.
"""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import BooleanField, Case, F, Max, Q, Sum, When
from django.utils import timezone

from lib.dates import duration_text
from lib.fingerprint import fingerprint
from workflow import policy, sla
from workflow.auth import officials_holding
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.steps import DIBATALKAN, STEP_BY_NUMBER, STEP_BY_STATE, STEP_STATES, STEPS, Step
from worktime.models import calendar_version, load_calendar

CHART_SCALE = 3  # px per percent of the Waktu
CHART_MAX = 200  # percent; longer bars are cut and marked
LEFT = 80  # px for the step labels
# Fewer finished stays than this and no 90th percentile is shown (page, chart, CSV): of one stay it is
# that stay, of five it falls between the two longest; "nine in ten finished within it" says nothing
# then. A bureau runs one round a year, so most steps of a year have one or two stays.
P90_FROM = 10
# A cached year's figures are dropped after this even if nothing changed, so a forgotten key is freed.
CACHED_FOR = 6 * 3600


def percentile(values: list[float], share: float) -> float:
    """Of sorted `values`: linear interpolation between closest ranks (the "inclusive" method of
    statistics.quantiles, as spreadsheets do), for one share instead of all 99 cut points."""
    position = (len(values) - 1) * share
    low = int(position)
    if low + 1 >= len(values):
        return values[low]
    return values[low] + (values[low + 1] - values[low]) * (position - low)


@dataclass
class Finished:
    """What the ended stays of one step come to: how many, the median and 90th percentile of the
    working time used (seconds) and of its share of the Waktu (%), on time (%), how many late."""

    n: int = 0
    used_p50: float | None = None
    used_p90: float | None = None
    ratio_p50: float | None = None
    ratio_p90: float | None = None
    on_time: float | None = None
    late: int = 0

    @classmethod
    def of(cls, stays: list) -> "Finished":
        """From (used seconds, allowed seconds, late) of each ended stay."""
        if not stays:
            return cls()
        used = sorted(u for u, _, _ in stays)
        ratios = sorted(100 * u / a if a else 0.0 for u, a, _ in stays)
        late = sum(1 for *_, is_late in stays if is_late)
        return cls(len(stays), percentile(used, 0.5), percentile(used, 0.9), percentile(ratios, 0.5),
                   percentile(ratios, 0.9), 100 * (len(stays) - late) / len(stays), late)


@dataclass
class StepFigures:
    step: Step
    finished: Finished
    running: int
    late: int

    def row(self) -> dict:
        done = self.finished
        median = dt.timedelta(seconds=done.used_p50) if done.n else None
        p90 = dt.timedelta(seconds=done.used_p90) if done.n else None
        p90_shown = done.n >= P90_FROM
        return {
            "step": self.step, "n": done.n, "running": self.running, "late": self.late,
            "median": median, "p90": p90, "median_label": duration_text(median) if median is not None else "-",
            # The API hands the figure on as computed; what people read shows it only when it means something.
            "p90_shown": p90_shown, "p90_label": duration_text(p90) if p90_shown else "-",
            "median_pct": done.ratio_p50, "p90_pct": done.ratio_p90, "on_time": done.on_time,
        }


def kept_key(name: str, *parts) -> str:
    """The cache key of what the report keeps under `name` for exactly `parts` (its fingerprint)."""
    return f"laporan:{name}:" + fingerprint(parts)


def finished_by_step(visits, states: dict[str, dict], calendar=None, *, kept_as) -> dict[int, Finished]:
    """Each step's `Finished` over the ended stays among `visits` (those of the dossiers counted in
    `states`: `sla.status_by_state` with each state's revisions summed and highest id). Reading a
    busy year's stays (~46,000) costs a second; the result changes only when a stay of those
    dossiers ends (an action: the dossier's revision moves), a dossier is added, or the calendar
    changes the stored working times; so it is kept under a fingerprint of exactly that (the
    dossiers' count, revisions and highest id, not their stays) and read again only when it moves.
    `kept_as` names which dossiers' stays `visits` are (`build`'s reach and year), more cheaply than
    the query's SQL would, which a page would compile only to name it."""
    ended = visits.filter(left_at__isnull=False)
    mark = (sum(row["n"] for row in states.values()), sum(row["revisions"] for row in states.values()),
            max((row["top"] for row in states.values()), default=None))
    key = kept_key("selesai", kept_as, mark, calendar_version())
    found = cache.get(key)
    if found is None:
        # Under the same fingerprint and calendar no stay is left uncounted; so only a miss (a
        # stay ended, the calendar changed) stores what is missing, before the late list reads it.
        sla.fill_worked(visits, calendar)
        stays: dict[int, list] = {s.number: [] for s in STEPS}
        # Numbers, not model objects or moments.
        late = Case(When(left_at__gt=F("due_at"), then=True), default=False, output_field=BooleanField())
        for state, used, allowed, is_late in ended.annotate(late=late).order_by().values_list(
                "state", "used_seconds", "allowed_seconds", "late"):
            stays[STEP_BY_STATE[state].number].append((used, allowed, is_late))
        found = {number: Finished.of(rows) for number, rows in stays.items()}
        cache.set(key, found, CACHED_FOR)
    return found


def holders_of_finished(clocks) -> dict[int, str]:
    """visit id -> who moved the dossier out of that stay, from the audit log (the moves out of
    those stays' positions on those dossiers only). An ended stay's holder never changes (the log
    is only added to), so the answer for the same stays is kept."""
    key = kept_key("pemegang", sorted(c.visit_id for c in clocks))
    return cache.get_or_set(key, lambda: _holders_of_finished(clocks), CACHED_FOR)


def _holders_of_finished(clocks) -> dict[int, str]:
    moves: dict[tuple[int, str], list] = {}
    events = (AuditEvent.objects.filter(dossier_id__in={c.dossier_id for c in clocks},
                                        from_state__in={c.step.state for c in clocks})
              .exclude(to_state=F("from_state")).order_by("at", "pk")
              .values_list("dossier_id", "from_state", "at", "actor_label"))
    for dossier_id, from_state, at, label in events:
        moves.setdefault((dossier_id, from_state), []).append((at, label))
    found = {}
    for clock in clocks:
        for at, label in moves.get((clock.dossier_id, clock.step.state), []):
            if at >= clock.end:
                found[clock.visit_id] = label
                break
    return found


def officials_waited_on(states) -> list:
    """The bureau's officials a step at one of `states` may wait on (holding its role, or standing
    in for it: policy.waiting_on), with their roles read with them, not two queries per person."""
    return officials_holding({role for state in states for role in policy.roles_waited_on(state)})


class LateStay(NamedTuple):
    """A late stay as the report lists it: the stay's stored figures (what `sla.stored_clock` reads),
    and its dossier's title and position now; plain values, not a stay and a dossier model each."""

    pk: int
    dossier_id: int
    state: str
    entered_at: dt.datetime
    left_at: dt.datetime | None
    due_at: dt.datetime
    near_at: dt.datetime | None
    allowed_seconds: int | None
    used_seconds: int | None
    attempt: int
    judul: str
    dossier_state: str


class LateDossier(NamedTuple):
    """A late stay's dossier as the report shows it."""

    pk: int
    judul: str
    state: str


def _late(stays) -> list[LateStay]:
    return [LateStay(*row) for row in stays.values_list(*LateStay._fields[:-2], "dossier__judul", "dossier__state")]


def first_late_stays(visits, now, limit: int, states: dict[str, dict], *, kept_as) -> list:
    """`late_stays` for a page, its stays' ids kept under a fingerprint of what they
    follow from: the dossiers' count, revisions and highest id (a stay ends or starts only with an
    action, which moves the revision), how many stand past their due moment at each position (a
    running stay turns late as time passes: the dossier carries its open stay's due moment), and the
    calendar. While it holds, only the stays shown are read (their dossiers' titles as they are now)."""
    mark = sorted((state, row["n"], row["revisions"], row["top"], row[sla.LATE]) for state, row in states.items())
    key = kept_key("terlambat-id", kept_as, limit, mark, calendar_version())
    kept = cache.get(key)
    if kept is not None:
        by_pk = {stay.pk: stay for stay in _late(StepVisit.objects.filter(pk__in=kept))}
        if len(by_pk) == len(kept):
            return [by_pk[pk] for pk in kept]
    found = late_stays(visits, now, limit)
    cache.set(key, [visit.pk for visit in found], CACHED_FOR)
    return found


def late_stays(visits, now, limit: int | None) -> list:
    """The late stays among `visits` in the report's order (by step, then by entry), the first
    `limit` of them (all when None): those that ended past their due moment and those still
    running past it. Each kind is a walk of its own partial index stopping at `limit`, merged
    here; for a page, the walks read sort keys only and just the stays shown are read whole."""
    # The states sort as their steps do ("langkah_1" to "langkah_9"), so each index's order is the
    # report's (tests/laporan/test_report.py holds the steps to it).
    kinds = [visits.filter(kind).order_by("state", "entered_at", "pk")
             for kind in (Q(left_at__gt=F("due_at")), Q(left_at__isnull=True, due_at__lt=now))]

    def order(state, entered_at, pk):
        return STEP_BY_STATE[state].number, entered_at, pk

    if limit is None:
        found = [stay for kind in kinds for stay in _late(kind)]
        return sorted(found, key=lambda v: order(v.state, v.entered_at, v.pk))
    keys = sorted((key for kind in kinds for key in kind.values_list("state", "entered_at", "pk")[:limit]),
                  key=lambda key: order(*key))[:limit]
    by_pk = {stay.pk: stay for stay in _late(StepVisit.objects.filter(pk__in=[pk for *_, pk in keys]))}
    return [by_pk[pk] for *_, pk in keys]


def build(user, year: int, now=None, late_shown: int | None = None) -> dict:
    """The year's figures per step, and its late stays (the first `late_shown` of them with their
    clocks and holders; all when None)."""
    now = now or timezone.now()
    dossiers = Dossier.objects.visible_to(user).filter(tahun=year)
    # The stay a round was cancelled in was not finished: among a step's finished stays its few hours
    # pulled the median down and its overrun counted late, held by the Kabiro who cancelled it. The
    # round's earlier stays were finished and count.
    cut = StepVisit.objects.filter(dossier__in=dossiers.filter(state=DIBATALKAN).values("pk"),
                                   left_at=F("dossier__closed_at"))
    visits = (StepVisit.objects.filter(state__in=STEP_STATES, dossier__in=dossiers.values("pk"))
              .exclude(pk__in=cut.values("pk")))
    calendar = load_calendar()
    kept_as = (policy.dossier_reach(user), year)
    # One pass over the year's dossiers: where they stand now, which are past their due moment (the
    # dossiers' own copy of their open stay's, not a join of the year's stays), and the fingerprint
    # of the cached figures.
    states = sla.status_by_state(dossiers, now=now, revisions=Sum("revision"), top=Max("pk"))
    figures = {number: StepFigures(STEP_BY_NUMBER[number], done, 0, 0)
               for number, done in finished_by_step(visits, states, calendar, kept_as=kept_as).items()}
    for state, row in states.items():
        if state in STEP_BY_STATE:
            figure = figures[STEP_BY_STATE[state].number]
            figure.running, figure.late = row["n"], row[sla.LATE]
    for figure in figures.values():
        figure.late += figure.finished.late
    late = (late_stays(visits, now, None) if late_shown is None
            else first_late_stays(visits, now, late_shown, states, kept_as=kept_as))
    clocks = [sla.stored_clock(v, attempt=v.attempt, now=now, calendar=calendar) for v in late]
    titles = {v.dossier_id: LateDossier(v.dossier_id, v.judul, v.dossier_state) for v in late}
    total_late = sum(f.late for f in figures.values())
    held = holders_of_finished([c for c in clocks if not c.running])
    # Only the bureau's officials finish steps or prepare their papers (an agency's officers never
    # do): their roles are read in one query here, not one per person; who a step waits on depends
    # on the step alone for them.
    running_states = {c.step.state for c in clocks if c.running}
    people = officials_waited_on(running_states) if running_states else []
    waiting: dict[str, str] = {}
    late_rows = []
    for clock in clocks:
        dossier = titles[clock.dossier_id]
        if clock.running:
            if dossier.state not in waiting:
                # The policy asks a dossier's position and who prepared its draft (by its id).
                asked = Dossier.from_db(None, ("id", "judul", "state"), dossier)
                names = ", ".join(u.display_name for u in policy.waiting_on(asked, people))
                waiting[dossier.state] = f"masih menunggu: {names or '-'}"
            holder = waiting[dossier.state]
        else:
            holder = held.get(clock.visit_id, "-")
        late_rows.append({"clock": clock, "dossier": dossier, "holder": holder})
    return {"year": year, "rows": [f.row() for f in figures.values()], "late": late_rows, "late_total": total_late}


def chart(rows) -> dict:
    bars = []
    for i, row in enumerate(rows):
        median, p90 = row["median_pct"] or 0, row["p90_pct"] or 0
        bars.append({
            "y": 10 + i * 26, "step": row["step"].number, "has_data": row["n"] > 0,
            # Whole numbers: a float would be printed with the locale's decimal comma inside the SVG.
            "median_w": round(min(median, CHART_MAX) * CHART_SCALE),
            "p90_x": LEFT + round(min(p90, CHART_MAX) * CHART_SCALE),
            "cut": p90 > CHART_MAX, "median": round(median), "p90": round(p90), "p90_shown": row["p90_shown"],
        })
    return {"bars": bars, "height": 20 + len(rows) * 26, "width": LEFT + CHART_MAX * CHART_SCALE + 100,
            "left": LEFT, "full_x": LEFT + 100 * CHART_SCALE, "max_x": LEFT + CHART_MAX * CHART_SCALE}
