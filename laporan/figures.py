"""The working-time report's figures: per step, over one year's dossiers, the time used against the
Waktu.

Figures count finished stays only (a stay still running has no final time yet); every stay of a
returned step counts on its own. The late list adds the stays still running past their due moment.
"""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.utils import timezone

from lib.dates import duration_text
from workflow import policy, sla
from workflow.models import AuditEvent, Dossier, User
from workflow.steps import STEPS, Step
from worktime.models import load_calendar

CHART_SCALE = 3  # px per percent of the Waktu
CHART_MAX = 200  # percent; longer bars are cut and marked
LEFT = 80  # px for the step labels


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (the "inclusive" method), as spreadsheets do."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


@dataclass
class StepFigures:
    step: Step
    finished: list
    running: int
    late: int

    def _spread(self, key, share):
        values = sorted(key(c) for c in self.finished)
        return percentile(values, share) if values else None

    def used(self, share) -> dt.timedelta | None:
        seconds = self._spread(lambda c: c.used.total_seconds(), share)
        return None if seconds is None else dt.timedelta(seconds=seconds)

    def ratio(self, share) -> float | None:
        return self._spread(lambda c: 100 * c.used / c.allowed if c.allowed else 0.0, share)

    @property
    def on_time(self) -> float | None:
        if not self.finished:
            return None
        return 100 * sum(c.status != sla.LATE for c in self.finished) / len(self.finished)

    def row(self) -> dict:
        median, p90 = self.used(0.5), self.used(0.9)
        return {
            "step": self.step, "n": len(self.finished), "running": self.running, "late": self.late,
            "median": median, "p90": p90, "median_label": duration_text(median) if median is not None else "-",
            "p90_label": duration_text(p90) if p90 is not None else "-",
            "median_pct": self.ratio(0.5), "p90_pct": self.ratio(0.9), "on_time": self.on_time,
        }


def holders_of_finished(dossiers, clocks) -> dict[int, str]:
    """visit id -> who moved the dossier out of that stay, from the audit log."""
    moves: dict[tuple[int, str], list] = {}
    for event in AuditEvent.objects.filter(dossier__in=dossiers.values("pk")):
        if event.from_state != event.to_state:
            moves.setdefault((event.dossier_id, event.from_state), []).append(event)
    found = {}
    for clock in clocks:
        for event in moves.get((clock.dossier_id, clock.step.state), []):
            if event.at >= clock.end:
                found[clock.visit_id] = event.actor_label
                break
    return found


def bureau_officials() -> list:
    return policy.remember_roles(User.objects.filter(is_active=True, skpd__isnull=True).order_by("pk"))


def build(user, year: int, now=None) -> dict:
    now = now or timezone.now()
    dossiers = Dossier.objects.visible_to(user).filter(tahun=year)
    clocks = [c for cs in sla.histories(dossiers, now=now, calendar=load_calendar()).values() for c in cs]
    figures = {s.number: StepFigures(s, [], 0, 0) for s in STEPS}
    for clock in clocks:
        figure = figures[clock.step.number]
        if clock.running:
            figure.running += 1
        else:
            figure.finished.append(clock)
        figure.late += clock.status == sla.LATE
    late = sorted((c for c in clocks if c.status == sla.LATE), key=lambda c: (c.step.number, c.start))
    held = holders_of_finished(dossiers, [c for c in late if not c.running])
    titles = Dossier.objects.in_bulk({c.dossier_id for c in late})
    # Only the bureau's officials finish steps (an agency's officers never do): their roles are read
    # in one query here, not one per person.
    people = bureau_officials() if any(c.running for c in late) else []
    late_rows = []
    for clock in late:
        dossier = titles[clock.dossier_id]
        if clock.running:
            names = ", ".join(u.display_name for u in policy.waiting_on(dossier, people))
            holder = f"masih menunggu: {names or '-'}"
        else:
            holder = held.get(clock.visit_id, "-")
        late_rows.append({"clock": clock, "dossier": dossier, "holder": holder})
    return {"year": year, "rows": [f.row() for f in figures.values()], "late": late_rows}


def chart(rows) -> dict:
    bars = []
    for i, row in enumerate(rows):
        median, p90 = row["median_pct"] or 0, row["p90_pct"] or 0
        bars.append({
            "y": 10 + i * 26, "step": row["step"].number, "has_data": row["n"] > 0,
            # Whole numbers: a float would be printed with the locale's decimal comma inside the SVG.
            "median_w": round(min(median, CHART_MAX) * CHART_SCALE),
            "p90_x": LEFT + round(min(p90, CHART_MAX) * CHART_SCALE),
            "cut": p90 > CHART_MAX, "median": round(median), "p90": round(p90),
        })
    return {"bars": bars, "height": 20 + len(rows) * 26, "width": LEFT + CHART_MAX * CHART_SCALE + 100,
            "left": LEFT, "full_x": LEFT + 100 * CHART_SCALE, "max_x": LEFT + CHART_MAX * CHART_SCALE}
