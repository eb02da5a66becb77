"""Pages under concurrent load on PostgreSQL at province scale, beside each page's floor.

Seeds a bench database (`manage.py seed_volume`, growing it step by step), serves the app with
gunicorn (2 sync workers, DEBUG off) on 127.0.0.1, signs real users in (their own sessions), and
drives each page with wrk (16 connections, a few seconds each, the best of --rounds tries, after a
VACUUM ANALYZE of the seeded database). For each page it prints req/s, p50, p99, errors, and its
floor in the same run: the same template rendered from a context kept in memory, through the same
middleware (bench/floor.py). Then the same at each size given.

Every request works its page out: nothing of a page is kept between requests.

With --busy it then measures a busy morning on the last size: 44 readers at once (40 agencies' officers
each on their inbox, 4 of the bureau's going through its pages in turn) while agencies save IKU
drafts twice a second, beside the same readers on the pages' floors under the same writes.

With --soak MINUTES it then drives the pages in turn for that long against workers that are never
recycled (max_requests off, so a leak would show) and prints each worker's resident memory (RSS) per
minute, its peak, and the growth from the first minute to the last.

Run (PostgreSQL on 127.0.0.1, role sopiku with CREATEDB, wrk from Debian: apt-get install wrk):
    .venv/bin/python bench/load_bench.py [--sizes 100,1000,10000] [--seconds 5] [--rounds 2] [--soak 10] [--busy] [--only inbox] [--keep]
"""

import argparse
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "sopiku_bench"
BASE = f"postgres://sopiku:sopiku@127.0.0.1:5432/{DB}"
PORT = 8765
ENV = os.environ | {
    "DATABASE_URL": BASE, "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "SOP_HTTPS": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
    "DJANGO_SETTINGS_MODULE": "bench.bench_settings", "SOP_TASKS_IMMEDIATE": "true", "PYTHONPATH": str(ROOT),
}
PYTHON = str(ROOT / ".venv/bin/python")


def manage(*args, capture=False):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, capture_output=capture, text=True)
    return result.stdout if capture else ""


def psql(database, sql):
    # Errors only: a VACUUM of the whole database names every shared catalog it may not touch.
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "sopiku", "-d", database, "-c", sql],
                   env=ENV | {"PGPASSWORD": "sopiku", "PGOPTIONS": "-c client_min_messages=error"}, check=True)


def settle():
    """The steady state a bureau works in, not the minutes after a bulk load: statistics gathered
    and the visibility map set, as autovacuum would leave them, before anything is timed."""
    psql(DB, "VACUUM (ANALYZE)")


def use_database(name):
    """Point manage(), settle(), fresh_database() and serve() at another database: the transitions
    bench writes rounds of its own, which a later `--keep` run here would otherwise measure."""
    global DB, BASE, ENV
    DB, BASE = name, BASE.rsplit("/", 1)[0] + "/" + name
    ENV = ENV | {"DATABASE_URL": BASE}


def fresh_database():
    psql("postgres", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {DB}")
    manage("migrate", "-v", "0")
    manage("shell", "-c", "from workflow import demo; demo.ensure_people()")


# Shell code defining signed_in(username): the key of a session as signing in through the form leaves it
# (the backend named is the one that reads the user back on each request).
SIGN_IN = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
def signed_in(username):
    user = get_user_model().objects.get(username=username)
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "workflow.auth.AgencyModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash()})
    session.create()
    return session.session_key
"""

SETUP = SIGN_IN + """
from django.db.models import Count
from iku.models import IkuRow
from workflow.models import Dossier
keys = [signed_in(name) for name in ("kasubag", "kabag", "kabiro", "dinkes")]
big = (IkuRow.objects.filter(submission__stage="bahan").values("submission__dossier")
       .annotate(n=Count("pk")).order_by("-n").first())
year = Dossier.objects.order_by("-tahun").values_list("tahun", flat=True).first()
from workflow.roles import Role
from workflow.steps import STEPS
helped = Dossier.objects.filter(state__in=[s.state for s in STEPS if Role.STAF in s.may_upload]).order_by("-pk").first()
from workflow.models import Invitation, User
dinkes = User.objects.get(username="dinkes")
grid = Invitation.objects.filter(skpd=dinkes.skpd_id, waiting=True, dossier__state__in=[s.state for s in STEPS if s.iku_stage]
                                 ).order_by("-dossier_id").values_list("dossier_id", flat=True).first()
print(" ".join(keys), big["submission__dossier"] if big else 0, year, helped.pk, grid)
"""


def pages(keys, big, year, helped, grid):
    kasubag, kabag, kabiro, dinkes = keys
    return [
        ("inbox (Kasubag)", kasubag, "/"),
        ("archive (Kasubag)", kasubag, "/arsip/"),
        ("archive, one year", kasubag, f"/arsip/?tahun={year}"),
        # A name in every round's history (seed_volume's events are all one Kasubag's).
        ("archive, searched by who acted", kasubag, "/arsip/?q=Pegawai+Volume"),
        ("dossier page (200 IKU rows)", kasubag, f"/dosier/{big}/"),
        ("IKU table (200 rows)", kasubag, f"/dosier/{big}/iku/bahan/"),
        ("dashboard (Kabag)", kabag, "/dasbor/"),
        ("report (Kabiro)", kabiro, f"/laporan/?tahun={year}"),
        ("inbox (agency)", dinkes, "/"),
        ("new dossier form (Kasubag)", kasubag, "/dosier/baru/"),
        ("disposisi form (Kasubag)", kasubag, f"/dosier/{helped}/disposisi/"),
        ("notices, ~30,000 (Kasubag)", kasubag, "/pemberitahuan/"),
        ("delegations (Kabag)", kabag, "/pelimpahan/"),
        ("IKU grid (agency)", dinkes, f"/dosier/{grid}/aksi/ajukan_iku/"),
    ]


def serve(*extra, env=None, port=None, workers=2):
    """gunicorn with `workers` sync workers on 127.0.0.1 (the bench's ENV and PORT unless given),
    once it answers /sehat/."""
    port = port or PORT
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", *extra, "sop_iku.wsgi"],
        cwd=ROOT, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sehat/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def answers(path, session):
    url = f"http://127.0.0.1:{PORT}{path}"
    check = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", f"Cookie: sessionid={session}", url],
                           capture_output=True, text=True).stdout
    if check != "200":
        raise SystemExit(f"{path} answers {check}, not 200: the bench would measure a redirect or an error")


def wrk(path, session, seconds, connections=16, warm="1s", script=None):
    """req/s, p50, p99 (ms) and errors of `path` as `session`, or with `script` (a wrk Lua file
    choosing each request) of whatever it asks."""
    url = f"http://127.0.0.1:{PORT}{path}"
    if script is None:
        answers(path, session)
        how = ["-H", f"Cookie: sessionid={session}"]
    else:
        how = ["-s", script]
    # Warm each worker's caches (the floor's capture, the template loader) before measuring.
    subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{warm}", *how, url], capture_output=True)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                          *how, url], capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M).groups()
        return float(value) * UNITS[unit]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)
    return rate, percentile(50), percentile(99), errors


def signed_in():
    found = manage("shell", "-c", SETUP, capture=True).strip().splitlines()[-1].split()
    return found[:4], found[4], found[5], found[6], found[7]


def rss_mib(pid) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024


def workers(master) -> list[int]:
    return sorted(int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split())


def soak(minutes, turn=15):
    """Mixed load for `minutes`: each page in turn for `turn` seconds; RSS of each worker sampled
    after every turn."""
    targets = pages(*signed_in())
    server = serve("--max-requests", "0")
    samples: dict[int, dict[int, float]] = {}  # minute -> worker pid -> highest RSS that minute
    served = 0
    started = time.monotonic()
    try:
        for index in range(10**9):
            elapsed = time.monotonic() - started
            if elapsed >= minutes * 60:
                break
            _name, session, path = targets[index % len(targets)]
            out = subprocess.run(["wrk", "-t2", "-c16", f"-d{turn}s", "--timeout", "10s", "-H", f"Cookie: sessionid={session}",
                                  f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True).stdout
            served += int(re.search(r"(\d+) requests in", out).group(1))
            minute = int((time.monotonic() - started) // 60)
            for pid in workers(server.pid):
                samples.setdefault(minute, {})[pid] = max(samples.get(minute, {}).get(pid, 0), rss_mib(pid))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    pids = sorted({pid for row in samples.values() for pid in row})
    print(f"\nSoak: {minutes} min of the pages in turn ({served} requests), workers never recycled; RSS in MiB")
    print("| minute | " + " | ".join(f"worker {n + 1}" for n in range(len(pids))) + " |")
    print("|---|" + "---|" * len(pids))
    for minute in sorted(samples):
        print(f"| {minute + 1} | " + " | ".join(f"{samples[minute].get(pid, 0):.0f}" for pid in pids) + " |")
    first, last = samples[min(samples)], samples[max(samples)]
    for n, pid in enumerate(pids):
        peak = max(row.get(pid, 0) for row in samples.values())
        print(f"worker {n + 1}: peak {peak:.0f} MiB, first minute {first.get(pid, 0):.0f}, last {last.get(pid, 0):.0f} "
              f"({last.get(pid, 0) - first.get(pid, 0):+.0f} MiB)")


# Shell code printing, for 40 agencies with work waiting, one officer's session, and the dossier and
# state at which that agency may send (and so save a draft of) its IKU.
BUSY_SETUP = SIGN_IN + """
from workflow.models import Invitation, User
from workflow.roles import Role
from workflow.steps import STEPS
sending = [step.state for step in STEPS if step.iku_stage]
seen = set()
for user in User.objects.filter(role_set__role=Role.SKPD, is_active=True, skpd__isnull=False).order_by("pk"):
    waiting = Invitation.objects.filter(skpd=user.skpd_id, waiting=True, dossier__state__in=sending)
    invitation = waiting.select_related("dossier").order_by("-dossier_id").first()
    if user.skpd_id in seen or invitation is None:
        continue
    seen.add(user.skpd_id)
    print(signed_in(user.username), invitation.dossier_id, invitation.dossier.state)
    if len(seen) == 40:
        break
"""

# Each request of a wrk thread goes to the next of the targets, as its own user.
MIX_LUA = """
targets = {%s}
n = 0
request = function()
  n = n + 1
  local target = targets[n %% #targets + 1]
  return wrk.format("GET", target[1], {["Cookie"] = "sessionid=" .. target[2]})
end
"""

DRAFT_ROWS = 10


def mix_script(targets, floor: bool) -> str:
    entries = ", ".join('{"%s", "%s"}' % (("/_lantai/?path=" + urllib.request.quote(path, safe="")) if floor else path, session)
                        for session, path in targets)
    path = Path(f"/tmp/load_bench_mix_{'floor' if floor else 'pages'}.lua")
    path.write_text(MIX_LUA % entries)
    return str(path)


def save_drafts(writers, stop: threading.Event, answered: dict):
    """Agencies saving their IKU drafts (the grid's "Simpan draf", DRAFT_ROWS rows) twice a second,
    in turn, until `stop`; each answer's status counted in `answered` (302: saved)."""
    forms = []
    for session, pk, state in writers:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        connection.request("GET", f"/dosier/{pk}/aksi/ajukan_iku/", headers={"Cookie": f"sessionid={session}"})
        response = connection.getresponse()
        page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        cookies = f"sessionid={session}" + (f"; csrftoken={cookie.group(1)}" if cookie else "")
        fields = {"csrfmiddlewaretoken": token, "state": state, "catatan": ""}
        forms.append((pk, cookies, fields))

    def save(beat):
        pk, cookies, fields = forms[beat % len(forms)]
        rows = {f"r-{r}-{name}": f"{name} {beat}-{r}" if name != "target" else f"{70 + r} (2027)"
                for r in range(1, DRAFT_ROWS + 1)
                for name in ("sasaran_strategis", "indikator", "formula", "satuan", "target", "sumber_data")}
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            connection.request("POST", f"/dosier/{pk}/iku/draf/", body=urllib.parse.urlencode(fields | rows),
                               headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"})
            status = connection.getresponse().status
        except OSError as error:
            status = type(error).__name__
        with lock:
            answered[status] = answered.get(status, 0) + 1

    # Each save on its own thread, so the saves keep their pace however long the readers make them wait.
    lock, beat, saving = threading.Lock(), 0, []
    while not stop.wait(0.5):
        saving.append(threading.Thread(target=save, args=(beat,), daemon=True))
        saving[-1].start()
        beat += 1
    # The saves under way are answered before the server stops, not cut off by it.
    for thread in saving:
        thread.join(timeout=30)


def busy_morning(seconds, rounds):
    """44 readers at once, 40 agencies on their inboxes and 4 of the bureau's on its pages in turn,
    while drafts are saved twice a second; the same readers on the floors under the same writes."""
    # (The shell's own first line says what it imported.)
    officers = [line.split() for line in manage("shell", "-c", BUSY_SETUP, capture=True).splitlines()
                if re.fullmatch(r"\w+ \d+ \w+", line)]
    bureau = [(session, path) for _name, session, path in pages(*signed_in())[:7]]
    # A round of the mix: each agency's inbox once, and 4 of the bureau's pages, the next 4 each round,
    # so the bureau's 4 readers go through all its pages as often as one another.
    targets = []
    for round_ in range(len(bureau)):
        targets += [(session, "/") for session, _pk, _state in officers]
        targets += [bureau[(4 * round_ + k) % len(bureau)] for k in range(4)]
    server = serve()
    stop, answered = threading.Event(), {}
    writer = threading.Thread(target=save_drafts, args=(officers[:8], stop, answered), daemon=True)
    try:
        for session, path in {*targets}:
            answers(path, session)
        writer.start()
        scripts = mix_script(targets, floor=False), mix_script(targets, floor=True)
        tries = [tuple(wrk("/", "", seconds, connections=44, warm="3s", script=script) for script in scripts)
                 for _ in range(rounds)]
    finally:
        stop.set()
        writer.join(timeout=60)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    (rate, p50, p99, errors) = max((page for page, _ in tries), key=lambda result: result[0])
    floor_rate = max(floor[0] for _, floor in tries)
    print(f"\nBusy morning: 44 readers ({len(officers)} agencies' inboxes, 4 of the bureau's on {len(bureau)} pages "
          f"in turn) while drafts of {DRAFT_ROWS} IKU rows are saved twice a second; wrk {seconds} s, best of {rounds}")
    print("| mix | req/s | p50 | p99 | errors | floor req/s | ratio | drafts saved (status: count) |\n|---|---|---|---|---|---|---|---|")
    print(f"| busy morning | {rate:.0f} | {p50:.0f} ms | {p99:.0f} ms | {errors} | {floor_rate:.0f} | {rate / floor_rate:.2f} | "
          + ", ".join(f"{status}: {n}" for status, n in sorted(answered.items(), key=str)) + " |")


def best_pair(path, session, seconds, rounds):
    """The page's and its floor's rounds with the most req/s: what else the two cores do
    (autovacuum, a checkpoint, a neighbour) only ever slows a round down. The page and the floor
    take turns, so a slow minute falls on both, not on one side of the ratio."""
    floor_path = "/_lantai/?path=" + urllib.request.quote(path, safe="")
    tries = [(wrk(path, session, seconds), wrk(floor_path, session, seconds)) for _ in range(rounds)]
    return (max((page for page, _ in tries), key=lambda result: result[0]),
            max((floor for _, floor in tries), key=lambda result: result[0]))


def run_size(size, seconds, only="", rounds=2):
    started = time.perf_counter()
    manage("seed_volume", "--dossiers", str(size))
    seeded = time.perf_counter() - started
    settle()
    targets = pages(*signed_in())
    server = serve()
    rows = []
    try:
        for name, session, path in targets:
            if only not in name:
                continue
            page, floor = best_pair(path, session, seconds, rounds)
            rows.append((name, page, floor))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\n{size} dossiers (seeded in {seeded:.0f} s), wrk 16 connections x {seconds} s, best of {rounds} rounds, "
          f"gunicorn 2 sync workers, PostgreSQL")
    print("| page | req/s | p50 | p99 | errors | floor req/s | ratio |\n|---|---|---|---|---|---|---|")
    for name, (rate, p50, p99, errors), (floor_rate, *_rest) in rows:
        print(f"| {name} | {rate:.0f} | {p50:.0f} ms | {p99:.0f} ms | {errors} | {floor_rate:.0f} | {rate / floor_rate:.2f} |")
    sys.stdout.flush()
    return {name: (page, page[0] / floor[0]) for name, page, floor in rows}


def main():
    global PORT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="measure each page and floor this many times, keep the best")
    parser.add_argument("--soak", type=float, default=0, help="minutes of mixed load on the last size, for memory")
    parser.add_argument("--busy", action="store_true", help="then the busy morning (mixed readers and writes) on the last size")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--database", default=DB, help="the bench database (dropped and seeded again unless --keep)")
    parser.add_argument("--port", type=int, default=PORT, help="the port gunicorn listens on, on 127.0.0.1")
    parser.add_argument("--keep", action="store_true", help="reuse the bench database of the last run (seeding adds only what is missing)")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    PORT = options.port
    use_database(options.database)
    if not options.keep:
        fresh_database()
    else:
        # The kept database may predate the code's migrations (a column the pages now read).
        manage("migrate", "-v", "0")
    results = {size: run_size(size, options.seconds, options.only, options.rounds) for size in sizes}
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        # Beside each rate its ratio to the floor of the same moment: the two cores' other work (a
        # checkpoint after the bulk load) slows page and floor alike, a query that grows only the page.
        print(f"\nGrowth: req/s (ratio to the floor) at each size, and the change from {first} to {last} dossiers")
        print("| page | " + " | ".join(str(s) for s in sizes) + " | change of req/s | change of ratio |")
        print("|---|" + "---|" * (len(sizes) + 2))
        for name in results[first]:
            cells = [results[s][name] for s in sizes]
            (first_page, first_ratio), (last_page, last_ratio) = cells[0], cells[-1]
            print(f"| {name} | " + " | ".join(f"{page[0]:.0f} ({ratio:.2f})" for page, ratio in cells)
                  + f" | {100 * (last_page[0] / first_page[0] - 1):+.0f} % | {100 * (last_ratio / first_ratio - 1):+.0f} % |")
    if options.busy:
        busy_morning(options.seconds, options.rounds)
    if options.soak:
        soak(options.soak)


if __name__ == "__main__":
    main()
