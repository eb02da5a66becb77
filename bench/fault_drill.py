"""Fault drill: the app under a bounded load on 127.0.0.1 while its processes and its database are
killed, then a check that nothing was left half done.

Faults, each under load (readers on the inbox, a writer saving an agency's IKU draft): kill -9 of a
gunicorn worker (the master replaces it), kill -9 of the master (restarted as systemd's
Restart=always would), a PostgreSQL restart. For each: requests failed during the fault and the
seconds until /sehat/ answers 200 again. Then: every dossier's state equals its last audit event's,
one open stay per running dossier, document numbers unique, no stored file without a row, and the
audit chain whole.

Run as root on a machine with PostgreSQL 15 (pg_ctlcluster) and the bench database:
    .venv/bin/python bench/fault_drill.py [--dossiers 300]
"""

import argparse
import http.cookiejar
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import load_bench as bench


class Load:
    """Readers and one writer, counting answers that were not what a user expects."""

    def __init__(self, session, dossier):
        self.session, self.dossier = session, dossier
        self.ok = self.failed = 0
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
            except OSError:
                self._count(False)
                time.sleep(0.1)

    def writer(self, agency_session):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{bench.PORT}"
        n = 0
        while self.running:
            n += 1
            try:
                page = opener.open(urllib.request.Request(f"{base}/dosier/{self.dossier}/aksi/ajukan_iku/",
                                                          headers={"Cookie": f"sessionid={agency_session}"}), timeout=5)
                html = page.read().decode()
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
                state = re.search(r'name="state" value="([^"]+)"', html).group(1)
                csrf = next(c.value for c in jar if c.name == "csrftoken")
                data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "state": state,
                                               "r-1-indikator": f"Indikator latihan {n}"}).encode()
                answer = opener.open(urllib.request.Request(
                    f"{base}/dosier/{self.dossier}/iku/draf/", data=data,
                    headers={"Cookie": f"sessionid={agency_session}; csrftoken={csrf}", "Referer": base + "/"}), timeout=5)
                self._count(answer.status == 200)
            except (OSError, AttributeError, StopIteration):
                self._count(False)
                time.sleep(0.1)


def healthy_after(start) -> float:
    while True:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{bench.PORT}/sehat/", timeout=1).status == 200:
                return time.monotonic() - start
        except OSError:
            time.sleep(0.05)


def workers_of(master_pid) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


CHECKS = """
from django.db.models import Count, OuterRef, Subquery
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.steps import STEP_STATES
from naskah.models import NaskahRecord
last = AuditEvent.objects.filter(dossier=OuterRef("pk")).order_by("-pk").values("to_state")[:1]
wrong = sum(1 for state, logged in Dossier.objects.annotate(last=Subquery(last)).values_list("state", "last")
            if logged and state != logged)
stays = Dossier.objects.filter(state__in=STEP_STATES).annotate(n=Count("visits", filter=models.Q(visits__left_at__isnull=True))).exclude(n=1).count()
numbers = NaskahRecord.objects.exclude(nomor="").values("nomor").annotate(n=Count("pk")).filter(n__gt=1).count()
print(f"state differs from last event: {wrong}; running dossiers without exactly one open stay: {stays}; numbers used twice: {numbers}")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=300)
    options = parser.parse_args()
    # Its own folder for stored files, so the orphan check looks at the drill's files only.
    bench.ENV["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="sopiku-drill-")
    bench.fresh_database()
    bench.manage("seed_volume", "--dossiers", str(options.dossiers))
    line = bench.manage("shell", "-c", bench.SETUP + """
from workflow import demo
from workflow.models import Dossier
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
d = demo.open_dossier(people, 2027, "Latihan gangguan")
demo.walk_to(d, people, STEP_BY_NUMBER[3].state)
print("DRILL", d.pk)
""", capture=True).strip().splitlines()
    keys = next(x for x in line if x.count(" ") >= 5 and not x.startswith("DRILL")).split()[:4]
    dossier = int(next(x for x in line if x.startswith("DRILL")).split()[1])
    load = Load(keys[0], dossier)
    threads = [threading.Thread(target=load.reader) for _ in range(4)] + [threading.Thread(target=load.writer, args=(keys[3],))]
    report = []

    def fault(name, act):
        time.sleep(3)
        before = (load.ok, load.failed)
        start = time.monotonic()
        act()
        recovered = healthy_after(start)
        time.sleep(2)
        report.append((name, load.failed - before[1], load.ok - before[0], recovered))

    def kill_worker():
        os.kill(workers_of(server.pid)[0], signal.SIGKILL)

    def kill_master():
        nonlocal server
        old_workers = workers_of(server.pid)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        # Orphaned workers notice their master is gone and stop; a new master may then bind.
        deadline = time.monotonic() + 40
        while any(os.path.exists(f"/proc/{pid}") for pid in old_workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        server = bench.serve()

    def restart_postgresql():
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)

    server = bench.serve()
    try:
        for thread in threads:
            thread.start()
        fault("kill -9 of a worker", kill_worker)
        fault("kill -9 of the master (then restarted)", kill_master)
        fault("PostgreSQL restart", restart_postgresql)
    finally:
        load.running = False
        for thread in threads:
            thread.join(timeout=10)
        os.killpg(server.pid, signal.SIGTERM)
    print("\n| fault | failed requests | good requests | seconds to /sehat/ 200 |\n|---|---|---|---|")
    for name, failed, good, recovered in report:
        print(f"| {name} | {failed} | {good} | {recovered:.1f} |")
    print(bench.manage("shell", "-c", "from django.db import models\n" + CHECKS, capture=True).strip().splitlines()[-1])
    print(bench.manage("remove_orphan_files", "--dry-run", "--older-than", "0", capture=True).strip().splitlines()[-1])
    print(bench.manage("verify_audit", capture=True).strip())


if __name__ == "__main__":
    main()
