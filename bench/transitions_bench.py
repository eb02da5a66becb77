"""Transitions under concurrent load on PostgreSQL: 20 clients, each advancing its own dossiers.

Seeds the bench database at province scale (`manage.py seed_volume`), walks fresh dossiers to step
7 through the real path, serves the app with gunicorn (2 sync workers, DEBUG off) on 127.0.0.1,
and has 20 client threads, signed in as the Kabag, return every one of their dossiers to the
Kasubag with a note (`/dosier/N/aksi/kembalikan/`: the FSM transition, its stay on the clock and its
audit event, in one transaction with the row lock; the hand-off's notices and e-mail queued for the
task worker). The app runs as a server runs it: gunicorn starting its task worker
(SOP_RUN_WORKER=true), tasks in the database, not done in the request. Prints transitions per
second, p50, p99 and errors of the timed returns (a first round of one return per client, untimed,
warms the workers up, as a server up since the morning is), then checks in the database that every
dossier moved exactly once and, once the worker caught up, that every return told its people.

It works in a database of its own, `sopiku_bench_transitions`: the 220 rounds each run adds (tahun 2031)
would become the newest year that `load_bench.py --keep` measures the archive, the report and the
dashboard's round on.

Run (as load_bench.py: PostgreSQL on 127.0.0.1, role sopiku with CREATEDB):
    .venv/bin/python bench/transitions_bench.py [--dossiers 10000] [--clients 20] [--each 5] [--workers 2] [--keep]
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_bench  # noqa: E402 - the bench database, manage() and gunicorn, shared

# Any 32 letters will do as the CSRF secret: Django compares the cookie with the posted field.
CSRF = "benchcsrfbenchcsrfbenchcsrfbench"

SETUP = load_bench.SIGN_IN + """
from workflow import demo, services
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
session_key = signed_in("kabag")
agencies = list(Skpd.objects.active().order_by("pk")[:3])
made = []
for n in range(COUNT):
    dossier = services.create_dossier(people["kasubag"], tahun=2031, judul=f"Bench transisi {n}", invited=agencies)
    dossier = demo.walk_to(dossier, people, STEP_BY_NUMBER[7].state)
    made.append(f"{dossier.pk}:{dossier.revision}")
print(session_key, " ".join(made))
"""

CHECK = """
import time
from notices.models import Notice
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER
pks = [PKS]
moved = Dossier.objects.filter(pk__in=pks, state=STEP_BY_NUMBER[6].state).count()
events = AuditEvent.objects.filter(dossier_id__in=pks, action="kembalikan", note="NOTE")
started = time.monotonic()
# The worker tells each return's people after its commit: waited for, up to a minute.
while True:
    told = Notice.objects.filter(event__in=events)
    told_events = told.values("event").distinct().count()
    unmailed = told.filter(emailed_at__isnull=True).exclude(recipient__email="").count()
    if (told_events == len(pks) and not unmailed) or time.monotonic() - started > 60:
        break
    time.sleep(0.5)
print(moved, events.count(), told_events, told.count(), unmailed, round(time.monotonic() - started, 1))
"""
NOTE = "Target indikator belum terukur; mohon diperbaiki (bench)."


class NoRedirect(urllib.request.HTTPRedirectHandler):
    # A 302 to the dossier page is success: not followed (that would time a page view too).
    def redirect_request(self, *args, **kwargs):
        return None


def client(session, work, timings, errors):
    opener = urllib.request.build_opener(NoRedirect)
    for pk, revision in work:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": CSRF, "revision": revision, "catatan": NOTE}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{load_bench.PORT}/dosier/{pk}/aksi/kembalikan/", data=body,
            headers={"Cookie": f"sessionid={session}; csrftoken={CSRF}"},
        )
        started = time.perf_counter()
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            status = str(error)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 302:
            errors.append(f"{pk}: {status}")


def run_clients(session, shares, timings, errors) -> float:
    """One client thread per share, all at once; the seconds until the last one is done."""
    threads = [threading.Thread(target=client, args=(session, share, timings, errors)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=10000, help="province-scale volume seeded first")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--each", type=int, default=10, help="dossiers each client returns, timed (walking one there takes ~0.4 s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (SOP_WORKERS)")
    parser.add_argument("--keep", action="store_true", help="reuse the last run's seeded database (seeding adds only what is missing)")
    options = parser.parse_args()
    load_bench.use_database(load_bench.DB + "_transitions")
    kept = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "sopiku", "-d", load_bench.DB, "-c", "SELECT 1"],
                          env=load_bench.ENV | {"PGPASSWORD": "sopiku"}, capture_output=True).returncode == 0
    if options.keep and kept:
        # The rounds an earlier run returned stay at step 6; this run walks fresh ones to step 7.
        load_bench.manage("migrate", "-v", "0")
    else:
        load_bench.fresh_database()
    started = time.perf_counter()
    load_bench.manage("seed_volume", "--dossiers", str(options.dossiers))
    print(f"seed_volume --dossiers {options.dossiers}: {time.perf_counter() - started:.0f} s")
    count = options.clients * options.each
    started = time.perf_counter()
    # One more per client, returned first and not timed (the warm-up round below).
    walked = count + options.clients
    out = load_bench.manage("shell", "-c", SETUP.replace("COUNT", str(walked)), capture=True).strip().splitlines()[-1]
    print(f"{walked} dossiers walked to step 7: {time.perf_counter() - started:.0f} s")
    load_bench.settle()
    session, *made = out.split()
    targets = [(int(pk), int(revision)) for pk, revision in (item.split(":") for item in made)]
    warm, timed = targets[:options.clients], targets[options.clients:]
    shares = [timed[k::options.clients] for k in range(options.clients)]

    server = load_bench.serve(env=load_bench.ENV | {"SOP_TASKS_IMMEDIATE": "false", "SOP_RUN_WORKER": "true"},
                              workers=options.workers)
    timings, errors = [], []
    try:
        # Each gunicorn worker's first requests load what it loads once (the URLconf, the templates,
        # its database connection): a round of returns at once, not timed, as a server that has been
        # up since the morning has long done.
        run_clients(session, [[target] for target in warm], [], errors)
        elapsed = run_clients(session, shares, timings, errors)
        check = CHECK.replace("PKS", ",".join(str(pk) for pk, _ in targets)).replace("NOTE", NOTE)
        # While the server (and its worker) still runs.
        moved, events, told_events, notices, unmailed, waited = (
            float(figure) for figure in load_bench.manage("shell", "-c", check, capture=True).strip().splitlines()[-1].split())
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    print(f"\n{options.clients} clients, {count} timed returns after {len(warm)} untimed (Kabag, step 7 -> 6), gunicorn {options.workers} sync workers, PostgreSQL, "
          f"{options.dossiers} dossiers seeded")
    print("| transitions/s | p50 | p99 | errors | dossiers moved | audit events | returns told (notices) | "
          "notices unmailed | worker caught up after the clients |\n|---|---|---|---|---|---|---|---|---|")
    print(f"| {count / elapsed:.1f} | {statistics.median(timings):.0f} ms | {p99:.0f} ms | {len(errors)} | "
          f"{moved:.0f} of {walked} | {events:.0f} | {told_events:.0f} of {walked} ({notices:.0f}) | {unmailed:.0f} | {waited} s |")
    for error in errors[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
