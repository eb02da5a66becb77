"""Fault drill: the app under a bounded load on 127.0.0.1, with its task worker, while its processes and its
database are killed, then a check that nothing was left half done and no task was left waiting.

The app runs as the README runs it: gunicorn with SOP_RUN_WORKER=true, so its task worker
(`manage.py task_worker`) takes the queued tasks, not the request. Faults, each under load (readers
on the inbox, a writer saving an agency's IKU draft, the Kasubag giving a disposisi every half
second, each of which queues a hand-off e-mail): kill -9 of a gunicorn worker (the master replaces
it), kill -9 of the task worker (the master starts it again), kill -9 of the master (restarted as
systemd's Restart=always would), the bench database cut off for a few seconds (its connections
terminated and new ones refused: a restart as the app sees it, on this database alone), a
PostgreSQL restart. For each: requests failed during the fault, the seconds until /sehat/ answers
200 again, the tasks queued meanwhile and how many were done, and whether the task worker is the
same process. After each fault and at the end, every task queued by then must be done within
--task-wait seconds: the drill fails if any is still waiting or running ("stuck"). Then: every
dossier's state equals its last audit event's, one open stay per running dossier, document numbers
unique, no stored file without a row, the audit chain whole, and every disposisi given has its
hand-off queued.

Run as root on a machine with PostgreSQL 15 (pg_ctlcluster) and the bench role:
    .venv/bin/python bench/fault_drill.py [--dossiers 300] [--no-postgres-restart]
--no-postgres-restart leaves the cluster alone (it is shared with other databases' users).
"""

import argparse
import http.client
import http.cookiejar
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import load_bench as bench

# Its own database and a free port: the drill drops and recreates its database, and may run beside
# the other benches.
DATABASE = "sopiku_drill"
# Debian's binaries of the newest PostgreSQL installed (15 on Debian 12), as .ci/run picks it.
PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=Path("/usr/lib/postgresql/15/bin"))
OUTAGE_SECONDS = 5
INSTRUCTIONS = itertools.count(1)
# A request that got no answer, or an answer cut short: a server killed while it sent a page leaves
# its headers read and the body short (http.client.IncompleteRead, not an OSError).
NO_ANSWER = (OSError, http.client.HTTPException)


class Load:
    """Readers, one writer and one giver of dispositions, counting answers that were not what a user expects."""

    def __init__(self, session, dossier, pause=0.5):
        self.session, self.dossier, self.pause = session, dossier, pause
        self.ok = self.failed = 0
        self.given = 0
        # Disposisi posts sent again, the same form, after a failure gave no answer (giver).
        self.retried = 0
        # The instructions the app acknowledged (the form redirected): each must be in the database.
        self.acknowledged = []
        self.running = True
        self.lock = threading.Lock()

    def _count(self, good):
        with self.lock:
            if good:
                self.ok += 1
            else:
                self.failed += 1

    def reader(self):
        while self.running:
            request = urllib.request.Request(f"http://127.0.0.1:{bench.PORT}/", headers={"Cookie": f"sessionid={self.session}"})
            try:
                self._count(urllib.request.urlopen(request, timeout=5).status == 200)
            except NO_ANSWER:
                self._count(False)
                time.sleep(0.1)

    def _post_form(self, opener, jar, session, page_url, post_url, fields, page=None):
        """Open the form as its user does (CSRF token, the dossier's state, its one-time key where the
        release has one), post it; the answer. `page`, a dict: filled from the form's page the first
        time, and posted again as it is when it holds something (a retry: the same key), the page not
        opened again."""
        base = f"http://127.0.0.1:{bench.PORT}"
        page = {} if page is None else page
        if not page:
            html = opener.open(urllib.request.Request(base + page_url, headers={"Cookie": f"sessionid={session}"}), timeout=5).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            state = re.search(r'name="state" value="([^"]+)"', html).group(1)
            # The previous release's forms have no key: posted without one, as then.
            key = re.search(r'name="kunci_kirim" value="([^"]+)"', html)
            page.update({"csrfmiddlewaretoken": token, "state": state} | ({"kunci_kirim": key.group(1)} if key else {}))
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**page, **fields}).encode()
        answer = opener.open(urllib.request.Request(base + post_url, data=data, headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}", "Referer": base + "/"}), timeout=5)
        return answer

    def writer(self, agency_session):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        n = 0
        while self.running:
            n += 1
            try:
                answer = self._post_form(opener, jar, agency_session, f"/dosier/{self.dossier}/aksi/ajukan_iku/",
                                         f"/dosier/{self.dossier}/iku/draf/", {"r-1-indikator": f"Indikator latihan {n}"})
                self._count(answer.status == 200)
            except (*NO_ANSWER, AttributeError, StopIteration):
                self._count(False)
                time.sleep(0.1)

    def giver(self, kasubag_session, dossier, staf):
        """A disposisi every half second: each queues a hand-off e-mail for the task worker. A post
        that fails (no answer, or a server error) is sent again as it was, the same key and
        instruction, as a user presses Kirim again, until it is answered (for up to 30 s): its first
        sending may have been recorded, and must not be recorded twice."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"/dosier/{dossier}/disposisi/"
        while self.running:
            # Numbered across every giver of the drill, so no two instructions are alike.
            instruction = f"Latihan gangguan {next(INSTRUCTIONS)}"
            fields = {"kepada": str(staf), "instruksi": instruction, "waktu_amount": "2", "waktu_unit": "jam"}
            # `page` is filled once the form's page was read: a failure after that may have been recorded.
            page, answer, deadline = {}, None, None
            while answer is None:
                try:
                    answer = self._post_form(opener, jar, kasubag_session, url, url, fields, page)
                except (*NO_ANSWER, AttributeError, StopIteration) as error:
                    if isinstance(error, urllib.error.HTTPError) and error.code < 500:
                        answer = error  # answered, with a refusal
                        break
                    if deadline is None:
                        self._count(False)
                        deadline = time.monotonic() + 30
                    if not page or time.monotonic() > deadline:
                        break
                    with self.lock:
                        self.retried += 1
                    time.sleep(1)
            if answer is not None:
                # Given: the form redirects to the dossier page.
                good = answer.status == 200 and not answer.geturl().endswith(url)
                self._count(good)
                if good:
                    with self.lock:
                        self.given += 1
                        self.acknowledged.append(instruction)
            time.sleep(self.pause)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy_after(start) -> float:
    while True:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{bench.PORT}/sehat/", timeout=1).status == 200:
                return time.monotonic() - start
        except NO_ANSWER:
            time.sleep(0.05)


def alive(pid) -> bool:
    """Running: a process killed but not yet reaped (a zombie) is not."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except NO_ANSWER:
        return False


def is_task_worker(pid) -> bool:
    try:
        return b"task_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except NO_ANSWER:
        return False


def children_of(master_pid) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def workers_of(master_pid) -> list[int]:
    """gunicorn's workers, not the task worker beside them."""
    return [p for p in children_of(master_pid) if not is_task_worker(p)]


def task_worker_of(master_pid) -> int | None:
    return next((p for p in children_of(master_pid) if is_task_worker(p)), None)


def query(sql, database=None) -> str:
    return subprocess.run(["psql", "-At", "-F", " ", "-h", "127.0.0.1", "-U", "sopiku", "-d", database or bench.DB, "-c", sql],
                          env=bench.ENV | {"PGPASSWORD": "sopiku"}, check=True, capture_output=True, text=True).stdout.strip()


class Tasks:
    """The queue as django-tasks-db keeps it (DBTaskResult), read with psql: no Django in the drill."""

    def __init__(self, table):
        self.table = table

    def now(self) -> str:
        return query("SELECT clock_timestamp()")

    def counts(self, since=None, until=None) -> dict[str, int]:
        where = " AND ".join([f"enqueued_at > '{since}'"] * bool(since) + [f"enqueued_at <= '{until}'"] * bool(until)) or "true"
        rows = query(f"SELECT status, count(*) FROM {self.table} WHERE {where} GROUP BY status")
        return {status: int(n) for status, n in (line.split() for line in rows.splitlines())}

    def caught_up(self, until, seconds) -> tuple[float | None, int]:
        """Seconds until no task queued by `until` waits or runs any more (None: not within
        `seconds`), and how many still do then: the stuck ones."""
        start = time.monotonic()
        while True:
            counts = self.counts(until=until)
            left = counts.get("READY", 0) + counts.get("RUNNING", 0)
            if not left:
                return time.monotonic() - start, 0
            if time.monotonic() - start > seconds:
                return None, left
            time.sleep(0.5)


CHECKS = """
from django.db.models import Count, OuterRef, Subquery
from django_tasks_db.models import DBTaskResult
from workflow.actions import DISPOSE
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.steps import STEP_STATES
from naskah.models import NaskahRecord
last = AuditEvent.objects.filter(dossier=OuterRef("pk")).order_by("-pk").values("to_state")[:1]
wrong = sum(1 for state, logged in Dossier.objects.annotate(last=Subquery(last)).values_list("state", "last")
            if logged and state != logged)
stays = Dossier.objects.filter(state__in=STEP_STATES).annotate(n=Count("visits", filter=models.Q(visits__left_at__isnull=True))).exclude(n=1).count()
numbers = NaskahRecord.objects.exclude(nomor="").values("nomor").annotate(n=Count("pk")).filter(n__gt=1).count()
queued = {args["args"][0] for args in DBTaskResult.objects.filter(task_path="notices.tasks.deliver_handoff").values_list("args_kwargs", flat=True)}
given = AuditEvent.objects.filter(action=DISPOSE, note__contains="Latihan gangguan").values_list("pk", flat=True)
untold = sum(1 for pk in given if pk not in queued)
print(f"state differs from last event: {wrong}; running dossiers without exactly one open stay: {stays}; numbers used twice: {numbers}; "
      f"disposisi given without a hand-off queued: {untold} of {len(given)}")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--task-wait", type=int, default=60,
                        help="seconds after each fault within which every task queued by then must be done")
    parser.add_argument("--no-postgres-restart", action="store_true",
                        help="skip the PostgreSQL restart, which the cluster's other users would feel")
    options = parser.parse_args()
    bench.use_database(DATABASE)
    bench.PORT = free_port()
    # Its own folder for stored files, so the orphan check looks at the drill's files only.
    bench.ENV["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="sopiku-drill-")
    bench.fresh_database()
    bench.manage("seed_volume", "--dossiers", str(options.dossiers))
    line = bench.manage("shell", "-c", bench.SETUP + """
from django_tasks_db.models import DBTaskResult
from workflow import demo
from workflow.models import Dossier, User
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
d = demo.open_dossier(people, 2027, "Latihan gangguan")
demo.walk_to(d, people, STEP_BY_NUMBER[3].state)
print("DRILL", d.pk, User.objects.get(username="staf").pk, DBTaskResult._meta.db_table)
""", capture=True).strip().splitlines()
    # The line of session keys; not Django's shell banner ("43 objects imported automatically ..."),
    # whose words were taken for keys before, so the load read the sign-in page.
    keys = next(x for x in line if re.match(r"[a-z0-9]{32} ", x)).split()[:4]
    _, dossier, staf, table = next(x for x in line if x.startswith("DRILL")).split()
    tasks = Tasks(table)
    # Setting up ran its tasks at once; from here the app queues them and its task worker takes them, as on a server.
    bench.ENV |= {"SOP_TASKS_IMMEDIATE": "false", "SOP_RUN_WORKER": "true"}
    load = Load(keys[0], int(dossier))
    threads = ([threading.Thread(target=load.reader) for _ in range(4)]
               + [threading.Thread(target=load.writer, args=(keys[3],)),
                  threading.Thread(target=load.giver, args=(keys[0], int(dossier), int(staf)))])
    report = []

    def fault(name, act):
        since = tasks.now()
        time.sleep(3)
        before = (load.ok, load.failed)
        task_worker = task_worker_of(server.pid)
        start = time.monotonic()
        # An act may say when the app really went down, if that was later than it began.
        start = act() or start
        recovered = healthy_after(start)
        time.sleep(2)
        failed, good = load.failed - before[1], load.ok - before[0]
        until = tasks.now()
        caught_up, stuck = tasks.caught_up(until, options.task_wait)
        queued = tasks.counts(since, until)
        after = task_worker_of(server.pid)
        report.append((name, failed, good, recovered, sum(queued.values()), queued.get("SUCCESSFUL", 0),
                       queued.get("FAILED", 0), stuck, caught_up,
                       "none" if after is None else "same process" if after == task_worker else "started again"))
        print(f"{name}: {failed} failed / {good} good requests, /sehat/ 200 after {recovered:.1f} s; tasks queued {sum(queued.values())}, "
              f"done {queued.get('SUCCESSFUL', 0)}, stuck {stuck}", flush=True)

    def kill_worker():
        os.kill(workers_of(server.pid)[0], signal.SIGKILL)

    def kill_task_worker():
        os.kill(task_worker_of(server.pid), signal.SIGKILL)

    def kill_master():
        nonlocal server
        old_children = children_of(server.pid)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        # As systemd does with deploy/sop-iku.service (KillMode=mixed, TimeoutStopSec=35): what is
        # left of the unit may stop by itself for 35 s, then it is killed. The task worker stops at
        # once (it was started with --parent); gunicorn's workers only notice their master is gone
        # when no request waits, which under this load may be never.
        deadline = time.monotonic() + 35
        while any(alive(pid) for pid in old_children) and time.monotonic() < deadline:
            time.sleep(0.2)
        down = time.monotonic()
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while any(alive(pid) for pid in old_children):
            time.sleep(0.1)
        server = bench.serve()
        return down

    def cut_off_database():
        query(f"ALTER DATABASE {bench.DB} WITH ALLOW_CONNECTIONS false", "postgres")
        try:
            query(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{bench.DB}'", "postgres")
            time.sleep(OUTAGE_SECONDS)
        finally:
            query(f"ALTER DATABASE {bench.DB} WITH ALLOW_CONNECTIONS true", "postgres")

    def restart_postgresql():
        subprocess.run(["pg_ctlcluster", PG_BIN.parent.name, "main", "restart"], check=True)

    server = bench.serve()
    stuck_at_end = None
    try:
        for thread in threads:
            thread.start()
        fault("kill -9 of a worker", kill_worker)
        fault("kill -9 of the task worker", kill_task_worker)
        fault("kill -9 of the master (then restarted)", kill_master)
        fault(f"database cut off for {OUTAGE_SECONDS} s (connections ended, new ones refused)", cut_off_database)
        if not options.no_postgres_restart:
            fault("PostgreSQL restart", restart_postgresql)
        load.running = False
        for thread in threads:
            thread.join(timeout=10)
        until = tasks.now()
        _, stuck_at_end = tasks.caught_up(until, options.task_wait)
        totals = tasks.counts(until=until)
    finally:
        load.running = False
        for thread in threads:
            thread.join(timeout=10)
        os.killpg(server.pid, signal.SIGTERM)
    print("\n| fault | failed requests | good requests | seconds to /sehat/ 200 | tasks queued | done | failed | stuck "
          f"after {options.task_wait} s | seconds until the queue caught up | task worker |\n|---|---|---|---|---|---|---|---|---|---|")
    for name, failed, good, recovered, queued, done, task_failed, stuck, caught_up, worker in report:
        print(f"| {name} | {failed} | {good} | {recovered:.1f} | {queued} | {done} | {task_failed} | {stuck} | "
              f"{'-' if caught_up is None else f'{caught_up:.1f}'} | {worker} |")
    print(f"\nTasks in all: {sum(totals.values())} queued, {totals.get('SUCCESSFUL', 0)} done, {totals.get('FAILED', 0)} failed, "
          f"{stuck_at_end} stuck {options.task_wait} s after the load stopped; dispositions given: {load.given}")
    print(bench.manage("shell", "-c", "from django.db import models\n" + CHECKS, capture=True).strip().splitlines()[-1])
    print(bench.manage("remove_orphan_files", "--dry-run", "--older-than", "0", capture=True).strip().splitlines()[-1])
    print(bench.manage("verify_audit", capture=True).strip())
    if stuck_at_end or any(row[7] for row in report):
        sys.exit("FAILED: tasks were left waiting or running")


if __name__ == "__main__":
    main()
