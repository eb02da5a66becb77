"""Stack drill: the production stack of deploy/ on this one machine, under load, while its parts die.

Brings up, each as its own processes on loopback ports it chooses: PostgreSQL primary and hot standby
(a second cluster made with pg_basebackup, synchronous commit to it; password logins only, pg_hba as
deploy/README.md has it), two app servers (gunicorn with the project's gunicorn.conf.py, each with its
task worker) connecting as the app's role, which owns no table, and HAProxy with deploy/haproxy.cfg
itself in front. The app finds the primary itself: DATABASE_URL lists both hosts with
target_session_attrs=read-write. Migrations run as the owner role.

The stack starts on the previous release (deploy/PREVIOUS_RELEASE, a `git archive` of it with this
checkout's .venv) and is upgraded under load as deploy/README.md says: this release's `migrate_once`
(twice at once: one migrates under the advisory lock, the other finds it done) while the previous
release serves, the previous release opening a round on the migrated schema, each server restarted
to this release through HAProxy (drain, restart, readmit), then `move_media_files`. The previous
release's files must then be in the database with the bytes it stored, and its documents read the
same from both servers with MEDIA_ROOT gone: a release that kept them under MEDIA_ROOT (before
filestore) has them moved in, one that kept them in the database has them as it left them before the
migrations. A burst of hand-offs proves the two task workers share the queue without doing a job twice.
Then, under a steady mixed load through HAProxy (inbox pages, an agency saving its IKU draft, the
Kasubag giving a disposisi, each of which queues a hand-off e-mail, uploads, the draft decree
printed, and whole rounds walked page by page by their people, bench/round_walker.py), one at a time: kill -9 of app server A (started again as systemd would), kill -9 of a task
worker while it runs a job, the primary stopped (immediate) and the standby promoted, then the old
primary rebuilt as the new standby, all by deploy/failover as its operator runs it. For each, and for the upgrade: requests failed and answered,
seconds until full service (both servers in HAProxy again; after the failover also the standby
streaming in sync again), disposisi acknowledged to the user and missing from the database, e-mails
sent twice as messages of their own (a job done twice; one whose send the failover lost the record
of goes again as the same message, counted apart: lib/mail.py), documents whose bytes differ between
the two servers, and at the end whether the audit chain verifies. Exits non-zero if anything acknowledged is missing, a job was done
twice or failed, a document differs, the chain does not verify, a request failed during the upgrade,
more requests failed at a fault than can be under way at once (one per client), a failed request was
answered with a page not in Indonesian (HAProxy's own English ones: deploy/sop-iku-50x.http), no round was walked
whole or a step of one was finished twice, a disposisi sent again was recorded twice, or a file of the previous release is not in the database
with its bytes.

Run as root (PostgreSQL's clusters run as the postgres user) with PostgreSQL 15 and HAProxy
installed (apt-get install postgresql haproxy), in a git checkout holding the previous release's commit:
    .venv/bin/python bench/stack_drill.py
"""

import collections
import csv
import email
import hashlib
import http.cookiejar
import io
import json
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
import urllib.error
import urllib.request
from pathlib import Path

import fault_drill
import load_bench as bench
import psycopg
from round_walker import RoundWalker, steps_of

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = fault_drill.PG_BIN
DATABASE = "sopiku_stack"
# The release the stack is upgraded from: the release process writes its commit there (deploy/README.md).
PREVIOUS_RELEASE = (ROOT / "deploy/PREVIOUS_RELEASE").read_text().split()[0]
# Roles as deploy/README.md makes them: the owner migrates, the app and its workers own nothing.
SUPERUSER, OWNER, APP, REPLICATOR = (("postgres", "drill-postgres"), ("sopiku_owner", "drill-owner"),
                                     ("sopiku_app", "drill-app"), ("replicator", "drill-replicator"))
# The table django-tasks-db keeps the queue in.
TASKS = "django_tasks_database_dbtaskresult"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*args):
    return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, args)], check=True, capture_output=True, text=True)


def base_backup(source: "Cluster", folder: Path, standby=False):
    # As the standby's operator does it: the replication role, with its password.
    as_postgres("env", f"PGPASSWORD={REPLICATOR[1]}", PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", source.port,
                "-U", REPLICATOR[0], "-D", folder, "-X", "stream", "-c", "fast", *(["-R"] if standby else []))


def previous_release(root: Path) -> Path:
    """The previous release's code, as `git archive` gives it, beside this checkout's .venv."""
    folder = root / "previous"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE], capture_output=True)
    if archive.returncode:
        raise SystemExit(f"FAILED: the previous release {PREVIOUS_RELEASE} is not in this checkout (git fetch it): "
                         f"{archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    # A setting this release reads from the environment and that release did not: given to it as an
    # operator's settings file would (88da007 read no DJANGO_EMAIL_FILE_PATH, and its workers' mail failed).
    if "DJANGO_EMAIL_FILE_PATH" not in (folder / "sop_iku/settings.py").read_text():
        (folder / "drill_settings.py").write_text(
            "import os\n\nfrom sop_iku.settings import *  # noqa: F403\n\nEMAIL_FILE_PATH = os.environ['DJANGO_EMAIL_FILE_PATH']\n")
    return folder


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
        # Socket and log outside the data folder: a base backup copies the folder, a socket's lock
        # file with it, and the rebuilt cluster then refused to start on its own old lock.
        self.socket, self.log = root / f"{name}.socket", root / f"{name}.log"

    def query(self, sql, database="postgres"):
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER[0], password=SUPERUSER[1], dbname=database,
                             autocommit=True, connect_timeout=3) as conn:
            rows = conn.execute(sql)
            return rows.fetchall() if rows.description else None

    def _settings(self, extra=""):
        # postgresql.auto.conf is read last: these override what a base backup copied from the primary.
        with open(self.dir / "postgresql.auto.conf", "a") as conf:
            conf.write(self.local_conf().read_text() + extra)

    def local_conf(self) -> Path:
        """This cluster's own settings, which deploy/failover's rebuild appends after its base backup."""
        self.socket.mkdir(exist_ok=True)
        shutil.chown(self.socket, "postgres", "postgres")
        conf = self.dir.parent / f"{self.dir.name}.local.conf"
        conf.write_text(f"port = {self.port}\nunix_socket_directories = '{self.socket}'\n")
        return conf

    def failover(self, *args, primary: "Cluster | None" = None):
        """deploy/failover, as the operator runs it on this cluster's machine."""
        env = {**os.environ, "PG_BIN": str(PG_BIN), "PGDATA": str(self.dir), "PGPORT": str(self.port),
               "PGHOST": str(self.socket), "LOCAL_CONF": str(self.local_conf()), "STATE_DIR": f"{self.dir}.watch",
               "PG_CTL": f"runuser -u postgres -- {PG_BIN / 'pg_ctl'} -D {self.dir} -l {self.log} -w"}
        if primary is not None:
            env.update(PRIMARY_PORT=str(primary.port), REPLICATION_USER=REPLICATOR[0], PGPASSWORD=REPLICATOR[1])
        done = subprocess.run([ROOT / "deploy/failover", *args], env=env, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise SystemExit(f"FAILED: deploy/failover {' '.join(args)}:\n{done.stdout}{done.stderr}")
        print("  " + done.stderr.strip().replace("\n", "\n  "), flush=True)

    def make_primary(self, archive: Path, root: Path):
        password = root / "superuser-password"
        password.write_text(SUPERUSER[1])
        as_postgres(PG_BIN / "initdb", "-D", self.dir, "-U", SUPERUSER[0], f"--pwfile={password}", "--auth-local=peer",
                    "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale")
        # deploy/postgresql-replication.conf is what a real primary carries, its WAL archiving turned
        # on into the drill's folder; pg_hba.conf as deploy/README.md has it, on loopback.
        settings = (ROOT / "deploy/postgresql-replication.conf").read_text().replace("#archive_", "archive_")
        with open(self.dir / "postgresql.conf", "a") as conf:
            conf.write(f"\n{settings.replace('/srv/wal-archive', str(archive))}\nlisten_addresses = '127.0.0.1'\n"
                       "shared_buffers = 64MB\n")
        (self.dir / "pg_hba.conf").write_text(
            "local all postgres peer\n"
            f"host all {SUPERUSER[0]} 127.0.0.1/32 scram-sha-256\n"
            f"host {DATABASE} {APP[0]},{OWNER[0]} 127.0.0.1/32 scram-sha-256\n"
            f"host replication {REPLICATOR[0]} 127.0.0.1/32 scram-sha-256\n")
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
        base_backup(primary, self.dir, standby=True)
        self._settings()
        self.start()

    def start(self):
        as_postgres(PG_BIN / "pg_ctl", "-D", self.dir, "-l", self.log, "-w", "start")

    def stop(self, mode="fast"):
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(self.dir), "-m", mode, "-w", "stop"],
                       capture_output=True)

    def standby_streaming(self) -> bool:
        return any(state == "streaming" for (state,) in self.query("SELECT state FROM pg_stat_replication"))


class AppServer:
    """gunicorn with its task worker (SOP_RUN_WORKER=true), as deploy/sop-iku.service runs it, from the
    code in `release.code`."""

    def __init__(self, name, release: "Release", log_dir: Path):
        self.name, self.port, self.release, self.log = name, free_port(), release, log_dir / f"{name}.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "-w", "2", "-b", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", "sop_iku.wsgi"],
            cwd=self.release.code, env=self.release.app_env | {"SOP_RUN_WORKER": "true"}, stdout=open(self.log, "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT, start_new_session=True)

    def ready(self) -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{self.port}{self.release.check}", timeout=2).status == 200
        except fault_drill.NO_ANSWER:
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
    def __init__(self, root: Path, apps, check: str):
        self.port, self.socket, self.apps, self.root = free_port(), root / "haproxy.sock", apps, root
        self.process = None
        self.start(check)

    def start(self, check: str):
        """Started, or with a running one: reloaded as `systemctl reload haproxy` does (the old process
        finishes the requests it holds, the new one takes the port)."""
        env = os.environ | {"SOP_LISTEN": f"127.0.0.1:{self.port}", "SOP_APP1": f"127.0.0.1:{self.apps[0].port}",
                            "SOP_APP2": f"127.0.0.1:{self.apps[1].port}", "SOP_HOST": "127.0.0.1", "SOP_ADMIN": str(self.socket),
                            "SOP_CHECK": check}
        previous = self.process
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(ROOT / "deploy/haproxy.cfg"),
                                         *(["-x", str(self.socket), "-sf", str(previous.pid)] if previous else [])], env=env,
                                        stdout=open(self.root / "haproxy.log", "a"), stderr=subprocess.STDOUT)  # noqa: SIM115
        if previous:
            previous.wait(timeout=30)

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
        except fault_drill.NO_ANSWER:
            return False


class Load(fault_drill.Load):
    """fault_drill's load, keeping what each failed request met, to be told with its fault."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.causes = collections.Counter()

    def _count(self, good):
        if not good:
            # Called from the except block that caught the failure, if any.
            problem = sys.exc_info()[1]
            cause = f"{type(problem).__name__}: {problem}"[:160] if problem else "an answer not the one expected"
            if isinstance(problem, urllib.error.HTTPError):
                # What the user read: HAProxy's pages (deploy/sop-iku-50x.http) or the app's are Indonesian.
                cause += " (halaman berbahasa Indonesia)" if b'lang="id"' in problem.read() else " (NOT an Indonesian page)"
            with self.lock:
                self.causes[cause] += 1
        super()._count(good)


class Uploader:
    """The Kasubag uploads a supporting document through HAProxy every second: each one's bytes are kept,
    to be downloaded again through each app server."""

    def __init__(self, session, dossier, load, uploaded: dict):
        self.session, self.dossier, self.load = session, dossier, load
        self.uploaded = uploaded  # the document's name as uploaded -> its bytes

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
            except (*fault_drill.NO_ANSWER, AttributeError, StopIteration):
                self.load._count(False)
            time.sleep(1)


def rounds_walked(walked, rounds, db) -> bool:
    """Whether the rounds walked through HAProxy moved as their people moved them: each step
    finished once however often a form was sent again, the walked ones at the end. Printed."""
    walker = walked["walker"]
    with db() as conn:
        rows = conn.execute("SELECT dossier_id, from_state, count(*) FROM workflow_auditevent WHERE dossier_id = ANY(%s) "
                            "AND action IN ('selesaikan', 'catat_penetapan') GROUP BY dossier_id, from_state",
                            [rounds]).fetchall()
    twice = [(pk, step) for pk, step, times in rows if times != 1]
    finished = len(walker.finished_rounds) if walker else 0
    steps_done = len(rows)
    print(f"Rounds walked through HAProxy, page by page (bench/round_walker.py): {finished} whole, {steps_done} steps "
          f"finished in all, forms sent again after an error {walker.sent_again if walker else 0}, steps finished twice "
          f"{len(twice)}{'' if not walked['error'] else ', stopped by: ' + walked['error']}", flush=True)
    return walker is not None and finished >= 1 and not twice and not walked["error"]


def print_decree(load, session, dossier, printed: list):
    """The Kasubag prints the draft decree every 3 s: its PDF, or while the worker renders a long one,
    the page that waits for it (202). Each PDF is appended to `printed`."""
    request = urllib.request.Request(f"http://127.0.0.1:{bench.PORT}/dosier/{dossier}/cetak/draft_kepgub/",
                                     headers={"Cookie": f"sessionid={session}"})
    while load.running:
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
            pdf = answer.status == 200 and body.startswith(b"%PDF")
            if pdf:
                printed.append(len(body))
            load._count(pdf or answer.status == 202)
        except fault_drill.NO_ANSWER:
            load._count(False)
        time.sleep(3)


def emails(folder: Path) -> tuple[int, int, int]:
    """E-mails sent; how many of them repeat one sent before (same recipient, subject, text) as a
    message of their own, a job done twice; and how many are a message sent again under its own
    Message-ID, which mail programs keep once: a send whose record the failover lost (lib/mail.py)."""
    seen, ids, total, again = set(), set(), 0, 0
    for path in folder.glob("*.log"):
        for text in path.read_text().split("-" * 79):
            if not text.strip():
                continue
            message = email.message_from_string(text.strip())
            total += 1
            if message["Message-ID"] is not None and message["Message-ID"] in ids:
                again += 1
                continue
            ids.add(message["Message-ID"])
            seen.add((message["To"], message["Subject"], message.get_payload()))
    return total, total - again - len(seen), again


def point_in_time_recovery(root, archive, primary, stack, kasubag, dossier, staf) -> bool:
    """A base backup of the primary, dispositions given before and after a moment, the install
    restored to that moment in a new cluster: what was given before is there, what came after is
    not, the audit chain verifies, every document has the same bytes as on the live primary."""
    started = time.monotonic()
    base = root / "base"
    base_backup(primary, base)

    def give(seconds):
        load = Load(kasubag, int(dossier), pause=0.2)
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
        "DATABASE_URL": f"postgres://{APP[0]}:{APP[1]}@127.0.0.1:{restored.port}/{DATABASE}"}).stdout.strip() or "(no answer)"
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


# What the previous release writes into this release's schema while both serve: a new round opened
# and walked to the agencies' step (invitations, IKU tables, documents, hand-offs queued).
PREVIOUS_WRITES = """
from workflow import demo
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
demo.ensure_certificates(people)
d = demo.open_dossier(people, 2028, "Dibuka rilis sebelumnya di skema baru")
demo.walk_to(d, people, STEP_BY_NUMBER[3].state, documents=True)
print("WROTE", d.pk)
"""


class Release:
    """One release's code and the environments its processes run with: the app's role for the app
    servers and their workers, the owner's for migrations."""

    def __init__(self, name: str, code: Path, env: dict, url):
        self.name, self.code = name, code
        settings = "drill_settings" if (code / "drill_settings.py").exists() else "sop_iku.settings"
        common = env | {"PYTHONPATH": str(code), "DJANGO_SETTINGS_MODULE": settings}
        self.app_env, self.owner_env = common | {"DATABASE_URL": url(APP)}, common | {"DATABASE_URL": url(OWNER)}
        # A release from before /siap/ is checked on /sehat/ by HAProxy and the drill alike.
        self.check = "/siap/" if '"siap/"' in (code / "sop_iku/urls.py").read_text() else "/sehat/"

    def manage(self, *args, owner=False, env=None) -> str:
        done = subprocess.run([bench.PYTHON, "manage.py", *map(str, args)], cwd=self.code, capture_output=True, text=True,
                              env=(self.owner_env if owner else self.app_env) | (env or {}))
        if done.returncode:
            raise SystemExit(f"FAILED: {self.name}: manage.py {' '.join(map(str, args))}:\n{done.stderr[-4000:]}")
        return done.stdout


def run(stack):
    for tool in ("haproxy", str(PG_BIN / "postgres")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install haproxy postgresql-15")
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="sopiku-stack-"))
    shutil.chown(root, "postgres")
    root.chmod(0o755)
    mail, media = root / "mail", root / "media"
    mail.mkdir()
    first, second = Cluster(root, "pg-a"), Cluster(root, "pg-b")
    stack += [first, second]
    archive = root / "wal-archive"
    archive.mkdir()
    shutil.chown(archive, "postgres")
    first.make_primary(archive, root)
    # Until its standby streams, a primary that waits for one would hold every commit.
    first.failover("synchronous", "off")
    for role, password in (OWNER, APP):
        first.query(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    first.query(f"CREATE ROLE {REPLICATOR[0]} REPLICATION LOGIN PASSWORD '{REPLICATOR[1]}'")
    first.query(f"CREATE DATABASE {DATABASE} OWNER {OWNER[0]}")
    primary, standby = first, second

    def url(role):
        return (f"postgres://{role[0]}:{role[1]}@/{DATABASE}?host=127.0.0.1,127.0.0.1&port={first.port},{second.port}"
                "&target_session_attrs=read-write&connect_timeout=3")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SOP_"))} | {
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "stack-drill-" + "x" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SOP_HTTPS": "false", "SOP_PROXY_COUNT": "1", "SOP_TASKS_IMMEDIATE": "false",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "DJANGO_EMAIL_FILE_PATH": str(mail),
        "SOP_AUDIT_CHECKPOINTS": str(root / "checkpoints.jsonl"),
        # The previous release's documents: on a disk both its servers reach (an NFS mount, here one folder).
        "MEDIA_ROOT": str(media),
    }
    previous = Release(f"previous release {PREVIOUS_RELEASE[:7]}", previous_release(root), env, url)
    current = Release("this release", ROOT, env, url)
    bench.ENV = current.app_env
    # The previous release installed as it was: its own migrate (it had no migrate_once) as the owner.
    # Setting up is not what the drill measures: its commits need not wait for the disk (a crash would
    # only lose the setup), and the standby is copied once it is done.
    quick = {"PGOPTIONS": "-c synchronous_commit=off"}
    previous.manage("migrate", "-v", "0", owner=True, env=quick)
    previous.manage("grant_app_role", APP[0], owner=True)
    print(f"{previous.name} migrated ({time.monotonic() - started:.0f} s since the start)", flush=True)
    out = previous.manage("shell", "-c", bench.SIGN_IN + """
from workflow import demo
from workflow.models import User
from workflow.steps import STEP_BY_NUMBER
people = demo.ensure_people()
d = demo.open_dossier(people, 2027, "Latihan gangguan")
demo.walk_to(d, people, STEP_BY_NUMBER[3].state)
print("DRILL", d.pk, User.objects.get(username="staf").pk, signed_in("kasubag"), signed_in("dinkes"))
rounds = [demo.open_dossier(people, 2029, f"Latihan putaran penuh {n}").pk for n in range(1, 9)]
print("ROUNDS", *rounds)
print("SESSIONS", *(f"{name}={signed_in(name)}" for name in ("kasubag", "staf", "kabag", "kabiro")))
""", env={"SOP_TASKS_IMMEDIATE": "true"} | quick)
    _, dossier, staf, kasubag, dinkes = next(x for x in out.splitlines() if x.startswith("DRILL")).split()
    rounds = [int(pk) for pk in next(x for x in out.splitlines() if x.startswith("ROUNDS")).split()[1:]]
    sessions = dict(pair.split("=") for pair in next(x for x in out.splitlines() if x.startswith("SESSIONS")).split()[1:])
    apps = [AppServer("app-a", previous, root), AppServer("app-b", previous, root)]
    stack += apps
    for app in apps:
        app.start()
    # The standby is copied while the app servers start.
    second.make_standby_of(first)
    first.failover("synchronous", "on")
    until(lambda: all(app.ready() for app in apps), 60, "the app servers never became ready")
    haproxy = HAProxy(root, apps, previous.check)
    stack.append(haproxy)
    until(haproxy.all_up, 30, "HAProxy never saw both servers up")
    bench.PORT = haproxy.port
    print(f"Stack up on the {previous.name} in {time.monotonic() - started:.0f} s: PostgreSQL {first.port} (primary) and "
          f"{second.port} (standby, synchronous), app servers {apps[0].port} and {apps[1].port} as {APP[0]}, "
          f"HAProxy {haproxy.port} checking {previous.check}", flush=True)

    def db():
        return psycopg.connect(url(OWNER), autocommit=True)

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

    uploaded, printed = {}, []

    def jobs_failed() -> int:
        """Tasks that ended in an error (a hand-off e-mail not sent), in all so far."""
        with db() as conn:
            return conn.execute(f"SELECT count(*) FROM {TASKS} WHERE status = 'FAILED'").fetchone()[0]

    def failed_jobs() -> list[str]:
        """Each task that ended in an error: which, when, by whom, and the end of its traceback."""
        with db() as conn:
            rows = conn.execute(f"SELECT task_path, args_kwargs, finished_at, worker_ids, traceback FROM {TASKS} "
                                "WHERE status = 'FAILED' ORDER BY finished_at").fetchall()
        return [f"{path}{json.dumps(args)} at {finished:%H:%M:%S.%f} by {workers}: "
                + (" / ".join(line.strip() for line in trace.strip().splitlines()[-4:]) or "(no traceback)")
                for path, args, finished, workers, trace in rows]

    def documents_differing(names=None) -> tuple[int, int]:
        """Documents (all, or those stored under `names`) downloaded through each app server: how many,
        and how many whose bytes differ between the two or from what the uploader sent."""
        differ = 0
        with db() as conn:
            rows = conn.execute("SELECT id, original_name, file FROM workflow_document").fetchall()
        rows = [(pk, name) for pk, name, stored in rows if names is None or stored in names]
        for pk, name in rows:
            digests = {hashlib.sha256(uploaded[name]).hexdigest()} if name in uploaded else set()
            for app in apps:
                request = urllib.request.Request(f"http://127.0.0.1:{app.port}/dokumen/{pk}/", headers={"Cookie": f"sessionid={kasubag}"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        digests.add(hashlib.sha256(answer.read()).hexdigest())
                except fault_drill.NO_ANSWER:
                    digests.add(f"unreadable through {app.name}")
            differ += len(digests) != 1
        return len(rows), differ

    def state_of(pk) -> str:
        try:
            with db() as conn:
                return conn.execute("SELECT state FROM workflow_dossier WHERE id = %s", [pk]).fetchone()[0]
        except psycopg.Error as error:
            raise OSError(str(error)) from error

    walked = {"steps": None, "walker": None, "error": None}

    def walk_rounds(load):
        """Whole rounds, one after another, through HAProxy (bench/round_walker.py)."""
        walker = walked["walker"] = RoundWalker(f"http://127.0.0.1:{bench.PORT}", sessions, walked["steps"],
                                                load._count, state_of)
        try:
            for pk in rounds:
                if not load.running:
                    break
                walker.walk(pk)
        except Exception as error:  # noqa: BLE001 - told in the report, and the drill fails
            walked["error"] = f"{type(error).__name__}: {error}"

    def start_load():
        load = Load(kasubag, int(dossier), pause=0.3)
        threads = ([threading.Thread(target=load.reader) for _ in range(2)]
                   + ([threading.Thread(target=walk_rounds, args=(load,))] if walked["steps"] else [])
                   + [threading.Thread(target=Uploader(kasubag, dossier, load, uploaded).run),
                      threading.Thread(target=print_decree, args=(load, kasubag, dossier, printed)),
                      threading.Thread(target=load.writer, args=(dinkes,)),
                      threading.Thread(target=load.giver, args=(kasubag, int(dossier), int(staf)))])
        for thread in threads:
            thread.start()
        # Each client has one request under way at most: no more may fail at a fault.
        load.clients = len(threads)
        return load, threads

    def stop_load(load, threads):
        load.running = False
        if walked["walker"] is not None:
            walked["walker"].running = False
        for thread in threads:
            thread.join(timeout=10)

    report, too_many = [], []

    def fault(name, act, load):
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
            causes, load.causes = load.causes, collections.Counter()
        _, twice, again = emails(mail)
        if failed > load.clients:
            too_many.append(f"{name}: {failed} requests failed, more than the {load.clients} that can be under way at once")
        if english := sum(times for cause, times in causes.items() if cause.endswith("(NOT an Indonesian page)")):
            too_many.append(f"{name}: {english} failed requests answered with a page that is not in Indonesian")
        row = (name, failed, good, recovered, missing(acknowledged), twice, documents_differing()[1], jobs_failed())
        report.append(row)
        print("{}: {} failed / {} good requests, full service after {:.1f} s; acknowledged and missing {}, "
              "jobs done twice {}, documents differing {}, jobs failed {}".format(*row)
              + f"; e-mails sent again as the same message (in all so far) {again}", flush=True)
        for cause, times in causes.most_common():
            print(f"  failed {times}x: {cause}", flush=True)

    def restart(number, app, release):
        """deploy/README.md's rolling step: drained (no new requests, those under way answered), stopped
        as systemctl stops it, started on `release`, readmitted once ready."""
        marks = [time.monotonic()]
        haproxy.admin(f"set server app/app{number} state drain")
        until(lambda: haproxy.servers()[f"app{number}"]["scur"] == "0", 30, "a drained server kept requests")
        marks.append(time.monotonic())
        app.stop()
        marks.append(time.monotonic())
        app.release = release
        app.start()
        until(app.ready, 60, f"{app.name} did not come back")
        marks.append(time.monotonic())
        haproxy.admin(f"set server app/app{number} state ready")
        until(haproxy.all_up, 30, f"HAProxy did not readmit {app.name}")
        marks.append(time.monotonic())
        drained, stopped, ready, readmitted = (b - a for a, b in zip(marks, marks[1:], strict=False))
        print(f"  {app.name}: drained in {drained:.1f} s, stopped in {stopped:.1f} s, ready on {release.name} in "
              f"{ready:.1f} s, readmitted in {readmitted:.1f} s", flush=True)

    previous_documents = {}
    # Whether the previous release kept its files in the database (filestore), not under MEDIA_ROOT.
    kept_in_database = [False]

    def named_files() -> set[str]:
        """The files a row names (page images beside them are a cache this release makes again)."""
        with db() as conn:
            return {name for (name,) in conn.execute(
                "SELECT file FROM workflow_document UNION SELECT final_file FROM workflow_naskahdibuat "
                "UNION SELECT lambang FROM workflow_profilkantor")}

    def upgrade():
        # A previous release with filestore keeps its files in the database: their bytes as it left
        # them, before this release's migrations, are what must come through.
        stored = {}
        with db() as conn:
            if conn.execute("SELECT to_regclass('filestore_storedfile') IS NOT NULL").fetchone()[0]:
                kept_in_database[0] = True
                stored = dict(conn.execute("SELECT name, encode(sha256(content), 'hex') FROM filestore_storedfile").fetchall())
        # New code on the servers, its static files collected (deploy/README.md, step 1).
        current.manage("collectstatic", "--noinput", "-v", "0")
        # Expand: this release's migrations while the previous release serves; two at once, as two
        # servers started together would: one migrates under the lock, the other finds it done.
        began = time.monotonic()
        migrations = [subprocess.Popen([bench.PYTHON, "manage.py", "migrate_once", "-v", "2"], cwd=ROOT, env=current.owner_env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        applied = []
        for migration in migrations:
            out, errors = migration.communicate()
            if migration.returncode:
                raise SystemExit(f"FAILED: migrate_once of this release:\n{errors[-4000:]}")
            applied += [(float(seconds), name) for name, seconds in re.findall(r"Applying (\S+)\.\.\. OK \(([\d.]+)s\)", out)]
        current.manage("grant_app_role", APP[0], owner=True)
        print(f"  this release's {len(applied)} migrations applied once by two migrate_once at the same time in "
              f"{time.monotonic() - began:.1f} s ({sum(t for t, _ in applied):.1f} s in the migrations themselves, the "
              f"longest {max(applied, default=(0, '-'))[1]}) while the {previous.name} served", flush=True)
        # While app-a restarts, app-b and a command of the previous release go on writing.
        writes = subprocess.Popen([bench.PYTHON, "manage.py", "shell", "-c", PREVIOUS_WRITES], cwd=previous.code,
                                  env=previous.app_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        restart(1, apps[0], current)
        wrote, errors = writes.communicate()
        if writes.returncode:
            raise SystemExit(f"FAILED: the {previous.name} could not write into the migrated schema:\n{errors[-4000:]}")
        print(f"  the {previous.name} opened round {wrote.split()[-1]} on the migrated schema and walked it to step 3 "
              "while app-a restarted", flush=True)
        restart(2, apps[1], current)
        # Contract: what the previous release stored on disk meanwhile comes into the database; then
        # MEDIA_ROOT goes, and every document must still be served from both servers.
        named = named_files()
        previous_documents.update({name: digest for name, digest in stored.items() if name in named})
        if kept_in_database[0]:
            # And what was uploaded while the servers were being restarted, some of it by the previous
            # release on the migrated schema: each must read the same through both servers.
            with db() as conn:
                previous_documents.update({name: digest for name, digest in conn.execute(
                    "SELECT name, encode(sha256(content), 'hex') FROM filestore_storedfile WHERE name = ANY(%s)",
                    [list(named - set(stored))]).fetchall()})
        previous_documents.update((str(path.relative_to(media)), hashlib.sha256(path.read_bytes()).hexdigest())
                                  for path in media.rglob("*") if str(path.relative_to(media)) in named)
        print(f"  both servers on {current.name}; {current.manage('move_media_files', owner=True).strip()}", flush=True)
        if media.exists():
            media.rename(root / "media-removed")
        haproxy.start(current.check)

    load, threads = start_load()
    try:
        fault(f"upgrade from the {previous.name} to {current.name} (migrate, then each server drained, restarted, "
              "readmitted)", upgrade, load)
    finally:
        stop_load(load, threads)
    # Every file the previous release wrote, as the database now holds it; the uploaded documents among
    # them also downloaded through both servers.
    with db() as conn:
        held = dict(conn.execute("SELECT name, encode(sha256(content), 'hex') FROM filestore_storedfile WHERE name = ANY(%s)",
                                 [list(previous_documents)]).fetchall())
    not_held = sum(held.get(name) != digest for name, digest in previous_documents.items())
    checked, differing = documents_differing(set(previous_documents))
    print(f"  files the {previous.name} stored ({'in the database' if kept_in_database[0] else 'on disk'}) that rows name "
          f"{len(previous_documents)}, in the database with other bytes or "
          f"not at all {not_held}; its uploaded documents read through both servers with MEDIA_ROOT gone {checked}, "
          f"of which not byte-identical {differing}", flush=True)
    upgraded = bool(previous_documents) and not not_held and checked and not differing and not report[0][1]

    # The burst: 40 hand-offs queued at once, taken by the two workers.
    burst = Load(kasubag, int(dossier), pause=0)
    burst_threads = [threading.Thread(target=burst.giver, args=(kasubag, int(dossier), int(staf))) for _ in range(4)]
    for thread in burst_threads:
        thread.start()
    until(lambda: burst.given >= 40, 120, "the burst was not taken")
    burst.running = False
    for thread in burst_threads:
        thread.join()
    queue_done()
    with db() as conn:
        by_worker = dict(conn.execute(f"SELECT worker_ids->>-1, count(*) FROM {TASKS} WHERE status = 'SUCCESSFUL' "
                                      f"AND worker_ids->>-1 = ANY(%s) GROUP BY 1", [[app.worker_id for app in apps]]).fetchall())
        roles = dict(conn.execute("SELECT usename, count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                                  "pg_backend_pid() GROUP BY 1", [DATABASE]).fetchall())
    print(f"Connections of the app servers and their task workers to the database, by role: {roles}", flush=True)
    sent, twice, again = emails(mail)
    print(f"Burst: {burst.given} disposisi given, hand-offs done per worker so far {sorted(by_worker.values())}, "
          f"e-mails {sent}, sent twice {twice}, sent again as the same message {again}, acknowledged and missing "
          f"{missing(burst.acknowledged)}", flush=True)

    def kill_app_a():
        apps[0].kill()
        # systemd's Restart=always, RestartSec=2 (deploy/sop-iku.service).
        time.sleep(2)
        apps[0].start()

    def kill_worker_mid_job():
        """Hand-offs take milliseconds: a spurt of them, and the first worker seen running one is killed."""
        spurt = Load(kasubag, int(dossier), pause=0)
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
        standby.failover("promote")
        primary, standby = standby, primary
        until(lambda: all(app.ready() for app in apps), 60, "the app servers never found the promoted primary")
        print(f"  both app servers ready again {time.monotonic() - down:.1f} s after the primary stopped; "
              "rebuilding the old primary as the standby", flush=True)
        standby.failover("rebuild", "127.0.0.1", primary=primary)
        until(primary.standby_streaming, 60, "the rebuilt standby never streamed")
        primary.failover("synchronous", "on")

    walked["steps"] = steps_of(current.manage)
    load, threads = start_load()
    try:
        fault("kill -9 of app server A (started again after 2 s)", kill_app_a, load)
        fault("kill -9 of a task worker mid-job", kill_worker_mid_job, load)
        fault("primary stopped, standby promoted, old primary rebuilt as standby", failover, load)
    finally:
        stop_load(load, threads)
    walked_right = rounds_walked(walked, rounds, db)
    with db() as conn:
        doubled = conn.execute("SELECT count(*) FROM (SELECT instruksi FROM workflow_disposition WHERE instruksi LIKE "
                               "'Latihan gangguan %%' GROUP BY instruksi HAVING count(*) > 1) AS twice").fetchone()[0]
    print(f"Disposisi sent again in the faults after an error, the same form and key: {load.retried}; recorded twice: {doubled}", flush=True)
    audit = current.manage("verify_audit").strip()
    restored_audit = point_in_time_recovery(root, archive, primary, stack, kasubag, dossier, staf)
    print("\n| fault | requests failed | requests answered | seconds to full service | acknowledged and missing "
          "| jobs done twice | documents differing | jobs failed (in all so far) |\n|---|---|---|---|---|---|---|---|")
    for row in report:
        print("| {} | {} | {} | {:.1f} | {} | {} | {} | {} |".format(*row))
    print(f"\nFiles of the {previous.name} in the database byte-identical after the upgrade: "
          f"{len(previous_documents) - not_held} of {len(previous_documents)} (its uploaded documents read through both "
          f"servers: {checked - differing} of {checked}); disposisi acknowledged in the faults and burst: "
          f"{load.given + burst.given}; documents uploaded {len(uploaded)}; draft decrees printed {len(printed)}; "
          f"audit: {audit.splitlines()[-1]}; drill took {time.monotonic() - started:.0f} s")
    bad = (any(row[4] or row[5] or row[6] or row[7] for row in report) or "utuh" not in audit or not restored_audit
           or not upgraded or not walked_right or too_many or doubled)
    for problem in too_many:
        print(problem)
    for job in failed_jobs():
        print(f"job failed: {job}")
    if bad:
        sys.exit(f"FAILED (logs in {root})")
    return root


if __name__ == "__main__":
    main()
