"""Stack drill: the production stack of deploy/ on this one machine, under load, while its parts die.

Brings up, each as its own processes on loopback ports it chooses: PostgreSQL primary and hot standby
(a second cluster made with pg_basebackup, synchronous commit to it), two app servers (gunicorn with
the project's gunicorn.conf.py, each with its task worker), and HAProxy with deploy/haproxy.cfg itself
in front. The app finds the primary itself: DATABASE_URL lists both hosts with
target_session_attrs=read-write. Migrations run once (`migrate_once`, under an advisory lock).

A burst of hand-offs first proves the two task workers share the queue without doing a job twice.
Then, under a steady mixed load through HAProxy (inbox pages, an agency saving its IKU draft, the
Kasubag giving a disposisi, each of which queues a hand-off e-mail), one at a time: kill -9 of app
server A (started again as systemd would), kill -9 of a task worker while it runs a job, the primary
stopped (immediate) and the standby promoted, then the old primary rebuilt as the new standby, and a
rolling restart through HAProxy (drain, restart, readmit). For each: requests failed and answered,
seconds until full service (both servers in HAProxy again; after the failover also the standby
streaming in sync again), disposisi acknowledged to the user and missing from the database, e-mails
sent twice (a job done twice), documents whose bytes differ between the two servers, and at the end
whether the audit chain verifies. Exits non-zero if anything acknowledged is missing, a job was done
twice, a document differs, or the chain does not verify.

Run as root (PostgreSQL's clusters run as the postgres user) with PostgreSQL 15 and HAProxy
installed (apt-get install postgresql haproxy):
    .venv/bin/python bench/stack_drill.py
"""

import csv
import hashlib
import http.cookiejar
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import fault_drill
import load_bench as bench
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = fault_drill.PG_BIN
DATABASE = "sopiku_stack"
# The table django-tasks-db keeps the queue in.
TASKS = "django_tasks_database_dbtaskresult"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*args):
    return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True, capture_output=True, text=True)


def until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise SystemExit(f"FAILED: after {seconds} s: {what}")


class Cluster:
    """One PostgreSQL cluster of Debian's binaries, in a folder of the drill's, run as postgres."""

    def __init__(self, root: Path, name: str):
        self.dir, self.port = root / name, free_port()

    def query(self, sql, database="postgres"):
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True,
                             connect_timeout=3) as conn:
            rows = conn.execute(sql)
            return rows.fetchall() if rows.description else None

    def _settings(self, extra=""):
        # postgresql.auto.conf is read last: these override what a base backup copied from the primary.
        with open(self.dir / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {self.port}\nunix_socket_directories = '{self.dir}'\n{extra}")

    def make_primary(self, archive: Path):
        as_postgres(PG_BIN / "initdb", "-D", self.dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
        # deploy/postgresql-replication.conf is what a real primary carries, its WAL archiving turned
        # on into the drill's folder; trust on loopback is the drill's.
        settings = (ROOT / "deploy/postgresql-replication.conf").read_text().replace("#archive_", "archive_")
        with open(self.dir / "postgresql.conf", "a") as conf:
            conf.write(f"\n{settings.replace('/srv/wal-archive', str(archive))}\nlisten_addresses = '127.0.0.1'\n"
                       "shared_buffers = 64MB\n")
        self._settings()
        self.start()

    def restore_to(self, base: Path, archive: Path, moment: str):
        """Point-in-time recovery: the base backup, then the archived WAL replayed up to `moment`."""
        shutil.copytree(base, self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        subprocess.run(["chown", "-R", "postgres:postgres", str(self.dir)], check=True)
        self._settings(f"restore_command = 'cp {archive}/%f %p'\nrecovery_target_time = '{moment}'\n"
                       "recovery_target_action = 'promote'\narchive_mode = off\nsynchronous_standby_names = ''\n")
        (self.dir / "recovery.signal").touch()
        self.start()

    def make_standby_of(self, primary: "Cluster"):
        if self.dir.exists():
            shutil.rmtree(self.dir)
        as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D", self.dir,
                    "-R", "-X", "stream", "-c", "fast")
        self._settings()
        self.start()

    def start(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.dir, "-l", self.dir / "log", "-w", "start")

    def stop(self, mode="fast"):
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", mode, "-w", "stop"],
                       capture_output=True)

    def promote(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.dir, "-w", "promote")

    def synchronous(self, on: bool):
        """With no standby left, a primary that waits for one would hold every commit: the failover
        turns synchronous commit off until the rebuilt standby streams, then on again."""
        self.query(f"ALTER SYSTEM SET synchronous_standby_names = '{'*' if on else ''}'")
        self.query("SELECT pg_reload_conf()")

    def standby_in_sync(self) -> bool:
        return any(state == "sync" for (state,) in self.query("SELECT sync_state FROM pg_stat_replication"))

    def standby_streaming(self) -> bool:
        return any(state == "streaming" for (state,) in self.query("SELECT state FROM pg_stat_replication"))


class AppServer:
    """gunicorn with its task worker (SOP_RUN_WORKER=true), as deploy/sop-iku.service runs it."""

    def __init__(self, name, env, log_dir: Path):
        self.name, self.port, self.env, self.log = name, free_port(), env, log_dir / f"{name}.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "-w", "2", "-b", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", "sop_iku.wsgi"],
            cwd=ROOT, env=self.env | {"SOP_RUN_WORKER": "true"}, stdout=open(self.log, "a"), stderr=subprocess.STDOUT,  # noqa: SIM115
            start_new_session=True)

    def ready(self) -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{self.port}/siap/", timeout=2).status == 200
        except OSError:
            return False

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        """As systemctl stop: SIGTERM, the requests at hand answered, the task at hand finished."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=40)

    def task_worker(self) -> int | None:
        return fault_drill.task_worker_of(self.process.pid)

    @property
    def worker_id(self) -> str:
        """The name gunicorn.conf.py gives its task worker, which the queue's rows record."""
        return f"gunicorn-127.0.0.1:{self.port}@{socket.gethostname()}"[:64]


class HAProxy:
    def __init__(self, root: Path, apps):
        self.port, self.socket, self.apps = free_port(), root / "haproxy.sock", apps
        env = os.environ | {"SOP_LISTEN": f"127.0.0.1:{self.port}", "SOP_APP1": f"127.0.0.1:{apps[0].port}",
                            "SOP_APP2": f"127.0.0.1:{apps[1].port}", "SOP_HOST": "127.0.0.1", "SOP_ADMIN": str(self.socket)}
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy.cfg")], env=env,
                                        stdout=open(root / "haproxy.log", "a"), stderr=subprocess.STDOUT)  # noqa: SIM115

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def admin(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.connect(str(self.socket))
            conn.sendall(command.encode() + b"\n")
            return b"".join(iter(lambda: conn.recv(65536), b"")).decode()

    def servers(self) -> dict[str, dict]:
        rows = csv.DictReader(io.StringIO(self.admin("show stat").lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == "app" and row["svname"].startswith("app")}

    def all_up(self) -> bool:
        try:
            return all(row["status"] == "UP" for row in self.servers().values())
        except OSError:
            return False


class Uploader:
    """The Kasubag uploads a supporting document through HAProxy every second: each one's bytes are kept,
    to be downloaded again through each app server."""

    def __init__(self, session, dossier, load):
        self.session, self.dossier, self.load = session, dossier, load
        self.uploaded = {}  # the document's number in the name -> its bytes

    def run(self):
        base = f"http://127.0.0.1:{bench.PORT}"
        url = f"/dosier/{self.dossier}/aksi/unggah_dokumen/"
        while self.load.running:
            number = next(fault_drill.INSTRUCTIONS)
            data = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%% drill " + str(number).encode() + b"\n%%EOF\n"
            try:
                jar = http.cookiejar.CookieJar()
                opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
                html = opener.open(urllib.request.Request(base + url, headers={"Cookie": f"sessionid={self.session}"}),
                                   timeout=10).read().decode()
                fields = {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
                          for name in ("csrfmiddlewaretoken", "state", "revision")} | {"kind": "lainnya"}
                boundary = f"drill{number}"
                body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                                for k, v in fields.items())
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="latihan-{number}.pdf"\r\n'
                         "Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
                csrf = next(c.value for c in jar if c.name == "csrftoken")
                answer = opener.open(urllib.request.Request(base + url, data=body, headers={
                    "Cookie": f"sessionid={self.session}; csrftoken={csrf}", "Referer": base + "/",
                    "Content-Type": f"multipart/form-data; boundary={boundary}"}), timeout=10)
                good = answer.status == 200 and not answer.geturl().endswith(url)
                if good:
                    self.uploaded[f"latihan-{number}.pdf"] = data
                self.load._count(good)
            except (OSError, AttributeError, StopIteration):
                self.load._count(False)
            time.sleep(1)


def emails(folder: Path) -> tuple[int, int]:
    """E-mails sent, and how many of them repeat one sent before (same recipient, subject, text)."""
    seen, total = set(), 0
    for path in folder.glob("*.log"):
        for message in path.read_text().split("-" * 79):
            lines = [line for line in message.strip().splitlines() if not line.startswith(("Date:", "Message-ID:"))]
            if lines:
                total += 1
                seen.add("\n".join(lines))
    return total, total - len(seen)


def point_in_time_recovery(root, archive, primary, stack, kasubag, dossier, staf) -> bool:
    """A base backup of the primary, dispositions given before and after a moment, the install
    restored to that moment in a new cluster: what was given before is there, what came after is
    not, the audit chain verifies, every document has the same bytes as on the live primary."""
    started = time.monotonic()
    base = root / "base"
    as_postgres(PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D", base, "-X", "stream",
                "-c", "fast")

    def give(seconds):
        load = fault_drill.Load(kasubag, int(dossier), pause=0.2)
        thread = threading.Thread(target=load.giver, args=(kasubag, int(dossier), int(staf)))
        thread.start()
        time.sleep(seconds)
        load.running = False
        thread.join()
        return load.acknowledged

    before = give(3)
    time.sleep(1)
    moment = primary.query("SELECT now()::text")[0][0]
    time.sleep(1)
    after = give(3)
    segment = primary.query("SELECT pg_walfile_name(pg_switch_wal())")[0][0]
    until(lambda: (archive / segment).exists(), 30, "the last WAL segment was never archived")
    restored = Cluster(root, "pg-restored")
    stack.append(restored)
    restored.restore_to(base, archive, moment)
    until(lambda: not restored.query("SELECT pg_is_in_recovery()")[0][0], 60, "the restore never reached its moment")
    given = {row[0] for row in restored.query("SELECT instruksi FROM workflow_disposition", DATABASE)}
    # The bytes themselves hashed by each server, not the digest recorded beside them.
    stored = "SELECT name, encode(sha256(content), 'hex') FROM filestore_storedfile"
    files, live = dict(restored.query(stored, DATABASE)), dict(primary.query(stored, DATABASE))
    differing = sum(live.get(name) != digest for name, digest in files.items())
    audit = subprocess.run([bench.PYTHON, "manage.py", "verify_audit"], cwd=ROOT, capture_output=True, text=True, env=bench.ENV | {
        "DATABASE_URL": f"postgres://sopiku:sopiku@127.0.0.1:{restored.port}/{DATABASE}"}).stdout.strip() or "(no answer)"
    print(f"\nPoint-in-time restore (base backup + archived WAL, to {moment}) in {time.monotonic() - started:.0f} s: "
          f"disposisi given before the moment missing {len(set(before) - given)} of {len(before)}, given after it "
          f"present {len(set(after) & given)} of {len(after)}, documents {len(files)} of which differing {differing}, "
          f"audit: {audit.splitlines()[-1]}", flush=True)
    return not (set(before) - given) and not (set(after) & given) and not differing and "utuh" in audit


def main():
    stack = []
    root = None
    try:
        root = run(stack)
    finally:
        # Whatever happened: nothing of the drill's is left running.
        for part in reversed(stack):
            try:
                part.stop()
            except Exception as problem:  # noqa: BLE001 - the others are stopped all the same
                print(f"stopping {part}: {problem}", file=sys.stderr)
    shutil.rmtree(root)


def run(stack):
    for tool in ("haproxy", str(PG_BIN / "postgres")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install haproxy postgresql-15")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="sopiku-stack-"))
    shutil.chown(root, "postgres")
    root.chmod(0o755)
    mail = root / "mail"
    mail.mkdir()
    first, second = Cluster(root, "pg-a"), Cluster(root, "pg-b")
    stack += [first, second]
    archive = root / "wal-archive"
    archive.mkdir()
    shutil.chown(archive, "postgres")
    first.make_primary(archive)
    # Until its standby streams, a primary that waits for one would hold every commit.
    first.synchronous(False)
    first.query("CREATE ROLE sopiku LOGIN PASSWORD 'sopiku' CREATEDB")
    first.query(f"CREATE DATABASE {DATABASE} OWNER sopiku")
    second.make_standby_of(first)
    first.synchronous(True)
    until(first.standby_in_sync, 30, "the standby never streamed in sync")
    primary, standby = first, second
    url = (f"postgres://sopiku:sopiku@/{DATABASE}?host=127.0.0.1,127.0.0.1&port={first.port},{second.port}"
           "&target_session_attrs=read-write&connect_timeout=3")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOP_"))} | {
        "DATABASE_URL": url, "DJANGO_SECRET_KEY": "stack-drill-" + "x" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SOP_HTTPS": "false", "SOP_PROXY_COUNT": "1", "SOP_TASKS_IMMEDIATE": "true", "PYTHONPATH": str(ROOT),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "DJANGO_EMAIL_FILE_PATH": str(mail),
        "SOP_AUDIT_CHECKPOINTS": str(root / "checkpoints.jsonl"),
    }
    bench.ENV = env | {"DJANGO_SETTINGS_MODULE": "sop_iku.settings"}
    # Two app servers starting together: one migrates, the other waits under the lock and finds it done.
    migrations = [subprocess.Popen([bench.PYTHON, "manage.py", "migrate_once", "-v", "0"], cwd=ROOT, env=bench.ENV,
                                   stdout=subprocess.PIPE, text=True) for _ in range(2)]
    if any(m.wait() for m in migrations):
        raise SystemExit("FAILED: migrate_once")
    print(f"Migrated once by two migrate_once at the same time ({time.monotonic() - started:.0f} s since the start)", flush=True)
    out = bench.manage("shell", "-c", bench.SIGN_IN + """
from django_tasks_db.models import DBTaskResult
from workflow import demo
from workflow.models import User
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
d = demo.open_dossier(people, 2027, "Latihan gangguan")
demo.walk_to(d, people, STEP_BY_NUMBER[3].state)
print("DRILL", d.pk, User.objects.get(username="staf").pk, signed_in("kasubag"), signed_in("dinkes"))
""", capture=True)
    _, dossier, staf, kasubag, dinkes = next(x for x in out.splitlines() if x.startswith("DRILL")).split()
    bench.ENV["SOP_TASKS_IMMEDIATE"] = "false"
    apps = [AppServer("app-a", bench.ENV, root), AppServer("app-b", bench.ENV, root)]
    stack += apps
    for app in apps:
        app.start()
    until(lambda: all(app.ready() for app in apps), 60, "the app servers never became ready")
    haproxy = HAProxy(root, apps)
    stack.append(haproxy)
    until(haproxy.all_up, 30, "HAProxy never saw both servers up")
    bench.PORT = haproxy.port
    print(f"Stack up in {time.monotonic() - started:.0f} s: PostgreSQL {first.port} (primary) and {second.port} (standby, "
          f"synchronous), app servers {apps[0].port} and {apps[1].port}, HAProxy {haproxy.port}", flush=True)

    def db():
        return psycopg.connect(url.replace("postgres://sopiku:sopiku@/", "postgresql://sopiku:sopiku@/"), autocommit=True)

    def missing(acknowledged) -> int:
        with db() as conn:
            kept = {row[0] for row in conn.execute("SELECT instruksi FROM workflow_disposition WHERE instruksi = ANY(%s)",
                                                   [list(acknowledged)])}
        return len(set(acknowledged) - kept)

    def queue_done(seconds=60):
        def done():
            with db() as conn:
                return not conn.execute(f"SELECT 1 FROM {TASKS} WHERE status IN ('READY', 'RUNNING') LIMIT 1").fetchone()
        until(done, seconds, "the task queue never emptied")

    def documents_differing() -> int:
        """Every document, downloaded through each app server: bytes that differ between the two, or
        from what the uploader sent, count."""
        differ = 0
        with db() as conn:
            rows = conn.execute("SELECT id, original_name FROM workflow_document").fetchall()
        for pk, name in rows:
            digests = {hashlib.sha256(uploader.uploaded[name]).hexdigest()} if name in uploader.uploaded else set()
            for app in apps:
                request = urllib.request.Request(f"http://127.0.0.1:{app.port}/dokumen/{pk}/", headers={"Cookie": f"sessionid={kasubag}"})
                with urllib.request.urlopen(request, timeout=10) as answer:
                    digests.add(hashlib.sha256(answer.read()).hexdigest())
            differ += len(digests) != 1
        return differ

    # The burst: 40 hand-offs queued at once, taken by the two workers.
    burst = fault_drill.Load(kasubag, int(dossier), pause=0)
    threads = [threading.Thread(target=burst.giver, args=(kasubag, int(dossier), int(staf))) for _ in range(4)]
    for thread in threads:
        thread.start()
    until(lambda: burst.given >= 40, 120, "the burst was not taken")
    burst.running = False
    for thread in threads:
        thread.join()
    queue_done()
    with db() as conn:
        by_worker = dict(conn.execute(f"SELECT worker_ids->>-1, count(*) FROM {TASKS} WHERE status = 'SUCCESSFUL' "
                                      "GROUP BY 1").fetchall())
    sent, twice = emails(mail)
    print(f"Burst: {burst.given} disposisi given, hand-offs done per worker {sorted(by_worker.values())}, "
          f"e-mails {sent}, sent twice {twice}, acknowledged and missing {missing(burst.acknowledged)}", flush=True)

    load = fault_drill.Load(kasubag, int(dossier), pause=0.3)
    uploader = Uploader(kasubag, dossier, load)
    load_threads = ([threading.Thread(target=load.reader) for _ in range(2)]
                    + [threading.Thread(target=uploader.run), threading.Thread(target=load.writer, args=(dinkes,)),
                       threading.Thread(target=load.giver, args=(kasubag, int(dossier), int(staf)))])
    report = []

    def fault(name, act):
        time.sleep(2)
        before = (load.ok, load.failed)
        start = time.monotonic()
        act()
        until(haproxy.all_up, 90, f"{name}: HAProxy never saw both servers up again")
        recovered = time.monotonic() - start
        time.sleep(1)
        failed, good = load.failed - before[1], load.ok - before[0]
        queue_done()
        with load.lock:
            acknowledged = list(load.acknowledged)
        _, twice = emails(mail)
        row = (name, failed, good, recovered, missing(acknowledged), twice, documents_differing())
        report.append(row)
        print("{}: {} failed / {} good requests, full service after {:.1f} s; acknowledged and missing {}, "
              "jobs done twice {}, documents differing {}".format(*row), flush=True)

    def kill_app_a():
        apps[0].kill()
        # systemd's Restart=always, RestartSec=2 (deploy/sop-iku.service).
        time.sleep(2)
        apps[0].start()

    def kill_worker_mid_job():
        """Hand-offs take milliseconds: a spurt of them, and the first worker seen running one is killed."""
        spurt = fault_drill.Load(kasubag, int(dossier), pause=0)
        extra = [threading.Thread(target=spurt.giver, args=(kasubag, int(dossier), int(staf))) for _ in range(3)]
        for thread in extra:
            thread.start()
        try:
            with db() as conn:
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:
                    running = {w for (w,) in conn.execute(f"SELECT worker_ids->>-1 FROM {TASKS} WHERE status = 'RUNNING'")}
                    victim = next((app for app in apps if app.worker_id in running and app.task_worker()), None)
                    if victim:
                        os.kill(victim.task_worker(), signal.SIGKILL)
                        print(f"  the task worker of {victim.name} killed while it ran a job", flush=True)
                        break
                    time.sleep(0.002)
                else:
                    os.kill(apps[1].task_worker(), signal.SIGKILL)
                    print("  no job seen running within 20 s: the task worker of app-b killed between jobs", flush=True)
            time.sleep(1)
        finally:
            spurt.running = False
            for thread in extra:
                thread.join()
        with load.lock:
            load.ok, load.failed = load.ok + spurt.ok, load.failed + spurt.failed
            load.given += spurt.given
            load.acknowledged += spurt.acknowledged

    def failover():
        nonlocal primary, standby
        down = time.monotonic()
        primary.stop("immediate")
        standby.promote()
        standby.synchronous(False)
        primary, standby = standby, primary
        until(lambda: all(app.ready() for app in apps), 60, "the app servers never found the promoted primary")
        print(f"  both app servers ready again {time.monotonic() - down:.1f} s after the primary stopped; "
              "rebuilding the old primary as the standby", flush=True)
        standby.make_standby_of(primary)
        until(primary.standby_streaming, 60, "the rebuilt standby never streamed")
        primary.synchronous(True)
        until(primary.standby_in_sync, 30, "synchronous commit never came back")

    def rolling_restart():
        for number, app in enumerate(apps, 1):
            haproxy.admin(f"set server app/app{number} state drain")
            until(lambda n=number: haproxy.servers()[f"app{n}"]["scur"] == "0", 30, "a drained server kept requests")
            app.stop()
            app.start()
            until(app.ready, 60, f"{app.name} did not come back")
            haproxy.admin(f"set server app/app{number} state ready")
            until(haproxy.all_up, 30, f"HAProxy did not readmit {app.name}")

    try:
        for thread in load_threads:
            thread.start()
        fault("kill -9 of app server A (started again after 2 s)", kill_app_a)
        fault("kill -9 of a task worker mid-job", kill_worker_mid_job)
        fault("primary stopped, standby promoted, old primary rebuilt as standby", failover)
        fault("rolling restart through HAProxy (drain, restart, readmit)", rolling_restart)
    finally:
        load.running = False
        for thread in load_threads:
            thread.join(timeout=10)
    audit = bench.manage("verify_audit", capture=True).strip()
    restored_audit = point_in_time_recovery(root, archive, primary, stack, kasubag, dossier, staf)
    print("\n| fault | requests failed | requests answered | seconds to full service | acknowledged and missing "
          "| jobs done twice | documents differing |\n|---|---|---|---|---|---|---|")
    for row in report:
        print("| {} | {} | {} | {:.1f} | {} | {} | {} |".format(*row))
    print(f"\nDisposisi acknowledged in all: {load.given + burst.given}; documents uploaded {len(uploader.uploaded)}; audit: {audit.splitlines()[-1]}; "
          f"drill took {time.monotonic() - started:.0f} s")
    bad = any(row[4] or row[5] or row[6] for row in report) or "utuh" not in audit or not restored_audit
    if bad:
        sys.exit(f"FAILED (logs in {root})")
    return root


if __name__ == "__main__":
    main()
