"""The bureau's overview: the dashboard (where every running dossier stands now) and the
working-time report of a year, with its CSV. Officials only (policy.can_view_reports)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from laporan import figures, rounds
from lib.csv_export import csv_response
from lib.dates import moment_text
from workflow import policy, sla
from workflow.models import Dossier
from workflow.steps import ACTIVE_STATES, STATE_CHOICES, STATE_LABELS, STEP_BY_STATE
from worktime.models import CUTI_BERSAMA_UNKNOWN, load_calendar

LATE_SHOWN = 50


def dashboard(request):
    if not policy.can_view_reports(request.user):
        raise PermissionDenied("Dasbor hanya untuk Kasubag, Kabag dan Kabiro.")
    return render(request, "laporan/dashboard.html", {**_dashboard(request.user), "nav": "dashboard"})


@dataclass(slots=True)
class Shown:
    """A dossier as the dashboard's lists show it: the columns read, and its clock."""

    pk: int
    judul: str
    state: str
    state_entered_at: dt.datetime
    clock: sla.StepClock | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


# What the lists read of each dossier: its own columns, then its open stay's for the clock.
SHOWN = ["pk", "judul", "state", "state_entered_at", *sla.OPEN_STAY]


def shown(rows, now, calendar) -> list[Shown]:
    return [Shown(pk, judul, state, entered, sla.open_clock(pk, stay, now=now, calendar=calendar))
            for pk, judul, state, entered, *stay in rows]


def _dashboard(user) -> dict:
    active = Dossier.objects.visible_to(user).filter(state__in=ACTIVE_STATES)
    # The tallies come from the stored due moments in one query over an index; the rows shown read
    # their open stay's stored columns with them (values, not models), so a clock costs no query.
    now = timezone.now()
    calendar = load_calendar()
    by_state = sla.status_by_state(active, now=now)
    counts = [(state, label, by_state.get(state, {}).get("n", 0)) for state, label in STATE_CHOICES
              if state in ACTIVE_STATES]
    status_counts = sla.totals(by_state)
    # The positions the SOP gives no Waktu (the Governor's desk): counted in the total, in none of the
    # three badges, so the sum is told apart rather than left a gap to puzzle over.
    untimed = [(label[0].lower() + label[1:], n) for state, label, n in counts if state not in STEP_BY_STATE and n]
    late = shown(sla.overdue(active, now=now).values_list(*SHOWN)[:LATE_SHOWN], now, calendar)
    oldest = shown(active.order_by("state_entered_at", "pk").values_list(*SHOWN)[:20], now, calendar)
    # Those whose step only holders of a vacant role can move on: no inbox lists them for anyone who
    # could, and no reminder reaches anyone, so the officials read them here with what to do.
    vacant = policy.vacant_states()
    stuck = [(dossier, vacant[dossier.state]) for dossier in shown(
        active.filter(state__in=vacant).order_by("state_entered_at", "pk").values_list(*SHOWN)[:LATE_SHOWN],
        now, calendar)] if vacant else []
    return {
        "counts": counts,
        "total": sum(n for *_, n in counts),
        "status_counts": status_counts,
        "untimed": untimed,
        "late": late,
        "late_total": status_counts[sla.LATE],
        "oldest": oldest,
        "stuck": stuck,
        "round": rounds.overview(user, now),
        # A printed or forwarded page says when it was true.
        "as_of": moment_text(now),
        # Deadlines counted over cuti bersama nobody has entered yet (worktime.clock).
        "calendar_gaps": [CUTI_BERSAMA_UNKNOWN.format(year=year)
                          for year in calendar.without_cuti_bersama(timezone.localdate())],
    }


def chosen_year(request, *, tell: bool = True) -> tuple[int, list[int]]:
    """The year asked for (`?tahun=`), else the latest with dossiers; a year that is not one, or has
    no dossier, shows the latest instead, and says so when `tell` (a page; a CSV download has no page
    to say it on, and a message queued would surface on whatever page comes next)."""
    years = Dossier.objects.visible_to(request.user).years()
    default = years[0] if years else timezone.localdate().year
    text = request.GET.get("tahun", "")
    if not text:
        return default, years
    # isdigit() accepts "²" and other digits int() refuses; only four ASCII digits are a year.
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
        if tell:
            messages.error(request, f"Tahun {text!r} tidak sah; ditampilkan tahun {default}.")
        return default, years
    # A year without a dossier would show a table of zeros and "no step late" under its name, as if
    # its rounds had all gone well, while the year list (which has no such year) showed another.
    if years and int(text) not in years:
        if tell:
            messages.warning(request, f"Belum ada dosier IKU tahun {text}; ditampilkan tahun {default}.")
        return default, years
    return int(text), years


def guard(request):
    if not policy.can_view_reports(request.user):
        raise PermissionDenied("Laporan waktu hanya untuk Kasubag, Kabag dan Kabiro.")


def report(request):
    guard(request)
    year, years = chosen_year(request)
    data = _report(request.user, year)
    # Before the first dossier there is nothing to report: a table of zeros would read as a clean year.
    return render(request, "laporan/report.html", {**data, "years": years or [year], "empty": not years,
                                                   "nav": "report"})


def _report(user, year: int) -> dict:
    now = timezone.now()
    data = figures.build(user, year, now=now, late_shown=LATE_SHOWN)
    return {**data, "chart": figures.chart(data["rows"]), "p90_from": figures.P90_FROM, "as_of": moment_text(now)}


def decimal(value) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def minutes(delta) -> str:
    return "" if delta is None else str(int(delta // dt.timedelta(minutes=1)))


def report_csv(request):
    guard(request)
    year, _ = chosen_year(request, tell=False)
    data = figures.build(request.user, year)
    late_list = request.GET.get("isi") == "terlambat"
    name = f"laporan-waktu-{year}{'-terlambat' if late_list else ''}.csv"
    response, out = csv_response(name)
    if late_list:
        out.writerow(["dosier", "langkah", "ke-", "mulai", "batas waktu", "selesai", "terpakai (menit)",
                      "waktu baku (menit)", "pemegang"])
        for row in data["late"]:
            c = row["clock"]
            out.writerow([row["dossier"].judul, c.step.number, c.attempt, c.start_label, c.due_label,
                          c.end_label or "masih berjalan", c.used_minutes, c.allowed_minutes, row["holder"]])
        return response
    out.writerow(["langkah", "kegiatan", "waktu baku", "selesai", "median (menit)", "persentil 90 (menit)",
                  "median (% waktu baku)", "persentil 90 (% waktu baku)", "tepat waktu (%)", "masih berjalan",
                  "terlambat"])
    for r in data["rows"]:
        out.writerow([r["step"].number, r["step"].ringkas, str(r["step"].waktu), r["n"], minutes(r["median"]),
                      minutes(r["p90"] if r["p90_shown"] else None), decimal(r["median_pct"]),
                      decimal(r["p90_pct"] if r["p90_shown"] else None), decimal(r["on_time"]),
                      r["running"], r["late"]])
    return response
