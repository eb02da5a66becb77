"""How long the working-time clock takes: a year-long span, the states of 10,000 dossiers, and a
calendar edit working out their stays again.

Run: .venv/bin/python bench/worktime_bench.py   (a throwaway SQLite database in a temp folder)
"""

import datetime as dt
import time

import throwaway_django  # noqa: F401 - sets up Django on a throwaway database first
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.dates import TZ
from workflow import sla
from workflow.models import Dossier, StepVisit, User
from workflow.steps import state_of
from worktime.clock import Calendar, package_days

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


def best_of(runs: int, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def year_span():
    start, end = dt.datetime(2026, 1, 1, tzinfo=TZ), dt.datetime(2027, 1, 1, tzinfo=TZ)
    day_end = dt.datetime(2026, 1, 2, tzinfo=TZ)

    def cold():
        package_days.cache_clear()
        return Calendar().working_minutes(start, end)

    cold_s, minutes = best_of(5, cold)
    warm_calendar = Calendar()
    warm_calendar.working_minutes(start, end)
    warm_s, _ = best_of(50, lambda: warm_calendar.working_minutes(start, end))
    day_s, _ = best_of(50, lambda: warm_calendar.working_minutes(start, day_end))
    print(f"Year 2026 ({minutes} working minutes):")
    print(f"  cold (new calendar, holidays package recomputed): {ms(cold_s)}")
    print(f"  warm (days cached in the calendar):                {ms(warm_s)}")
    print(f"  one day, warm:                                     {ms(day_s)}  (year/day ratio {warm_s / day_s:.0f}x)")


def make_dossiers(n: int):
    user = User.objects.create_user("bench")
    made = Dossier.objects.bulk_create(Dossier(tahun=2027, judul=f"Bench {i}", created_by=user) for i in range(n))
    # Entered from just now back to seven weeks ago, so some are on time, some near due, most late.
    StepVisit.objects.bulk_create(
        StepVisit(dossier=d, state=state_of(1 + i % 9), entered_at=NOW - dt.timedelta(minutes=7 * i))
        for i, d in enumerate(made)
    )
    sla.reschedule_open()


def dossier_states():
    now = NOW
    for n in (1_000, 10_000):
        subset = Dossier.objects.order_by("pk")[:n]
        ids = list(subset.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            took, clocks = best_of(3, lambda: sla.current_clocks(ids, now=now))
        counts = sla.counts(clocks.values())
        print(f"{n:>6} dossiers' current clocks: {ms(took)} ({took / n * 1e6:.0f} us each), "
              f"{len(queries) // 3} queries; {counts}")
        yield took


def stored_status():
    """What the dashboard asks: how many of 10,000 running dossiers are ok, near and late, from the
    due moments stored with each stay (one query over an index)."""
    dossiers = Dossier.objects.all()
    with CaptureQueriesContext(connection) as queries:
        took, counts = best_of(5, lambda: sla.status_counts(dossiers, now=NOW))
    print(f"10,000 running steps' status from the stored due moments: {ms(took)}, {len(queries) // 5} query; {counts}")
    return took


def calendar_edit():
    """What a calendar edit costs (workflow.tasks.rework): every open stay's moments worked out and
    written again, each its own, beside the same rows written by Django's bulk_update."""
    from lib.update_each import update_each
    from workflow.tasks import rework

    took, moved = best_of(3, rework)
    visits = list(StepVisit.objects.filter(left_at__isnull=True))
    written, _ = best_of(3, lambda: update_each(StepVisit, visits, sla.STORED))
    django, _ = best_of(3, lambda: StepVisit.objects.bulk_update(visits, sla.STORED, batch_size=1000))
    print(f"Calendar edit over {moved:,} open stays: {ms(took)}; their writing {ms(written)}, "
          f"by bulk_update {ms(django)} ({django / written:.0f}x)")


def main():
    call_command("migrate", verbosity=0)
    year_span()
    make_dossiers(10_000)
    small, large = dossier_states()
    print(f"  10,000 vs 1,000 ratio: {large / small:.1f}x (linear would be 10x)")
    stored = stored_status()
    print(f"  stored status vs working every clock out: {large / stored:.0f}x faster")
    calendar_edit()


if __name__ == "__main__":
    main()
