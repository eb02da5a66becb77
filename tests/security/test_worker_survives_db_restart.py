"""The task worker outlives its database going away (issue 29): with SOP_RUN_WORKER=true gunicorn
starts it, and a PostgreSQL restart used to end it on the first OperationalError, so hand-off
e-mails and decree renders waited in the queue until someone restarted gunicorn.

The app is started as the README starts it (gunicorn -c gunicorn.conf.py, SOP_RUN_WORKER=true) on
this test's database. The fault is a restart as the worker sees it, done to this database alone so
that other test runs on the same server are not disturbed: its connections are cut
(pg_terminate_backend) and new ones refused for a few seconds, then allowed again.

Needs PostgreSQL: the fault is PostgreSQL's, and the worker is another process on the same
committed data.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notices.models import Notice
from notices.tasks import deliver_handoff
from tests import factories, task_backends
from tests.conftest import require_postgres
from workflow.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
QUEUE = task_backends.DATABASE
# Long enough for a worker that was restarted or reconnected to start Django and take the task.
DONE_WITHIN = 60

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid) -> list[int]:
    """Of every thread: the master's task worker is started by a thread of its own."""
    found = []
    for thread in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (thread / "children").read_text().split()]
        except OSError:
            pass
    return found


def cmdline(pid) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().split("\0")
    except OSError:
        return []


def until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"after {seconds} s: {what}")


def app_env() -> dict:
    """The app's environment on this test's database, as the README's quick start sets it."""
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("SOP_TASKS_IMMEDIATE", "SOP_TEST_DATABASE")}
    return env | {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "SOP_HTTPS": "false", "SOP_RUN_WORKER": "true",
        "DJANGO_SECRET_KEY": "worker-test-" + "x" * 50, "SOP_WORKERS": "1", "SOP_BIND": f"127.0.0.1:{free_port()}",
    }


class App:
    """gunicorn with its task worker, as the README's quick start runs it, on the test database."""

    def __init__(self, log_path):
        env = app_env()
        self.bind = env["SOP_BIND"]
        self.log = open(log_path, "w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "sop_iku.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def task_worker(self) -> int | None:
        """The pid of the task worker gunicorn's master started (`python manage.py ..._worker`)."""
        for pid in children(self.process.pid):
            args = cmdline(pid)
            if len(args) > 2 and args[1].endswith("manage.py") and args[2].endswith("_worker"):
                return pid
        return None

    def wait_ready(self):
        until(lambda: self._answers(), 30, "gunicorn does not answer /sehat/")
        pid = until(self.task_worker, 30, f"gunicorn started no task worker\n{self.output()}")
        # The worker has connected once it has looked at the queue.
        until(lambda: self.connections(), 30, "the task worker never connected")
        return pid

    def _answers(self) -> bool:
        try:
            return urllib.request.urlopen(f"http://{self.bind}/sehat/", timeout=1).status == 200
        except OSError:
            return False

    @staticmethod
    def connections() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return cursor.fetchone()[0]

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-4000:]

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # The test database is flushed and dropped after the test: nobody may still hold it.
        until(lambda: self.connections() == 0 or None, 30, "the app's connections outlived it")
        self.log.close()


@pytest.fixture
def app(settings, tmp_path):
    require_postgres()
    settings.TASKS = QUEUE
    started = App(tmp_path / "gunicorn.log")
    try:
        started.wait_ready()
        yield started
    finally:
        started.stop()


def restart_as_seen_by_the_worker(seconds=4):
    """What a PostgreSQL restart does to the app, on this database alone: every other connection to
    it is cut, and for `seconds` no new one is let in. From the server's maintenance database: a
    database cannot shut its own doors."""
    db = connection.settings_dict
    # The driver Django uses (psycopg 2 or 3): both connect and quote alike.
    admin = connection.Database.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"],
                                        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{db["NAME"]}" WITH ALLOW_CONNECTIONS false')
            try:
                with connection.cursor() as own:
                    own.execute("SELECT pg_backend_pid()")
                    spared = own.fetchone()[0]
                cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> %s"
                               " AND usename = current_user",
                               [db["NAME"], spared])
                assert cursor.fetchone()[0] >= 1, "the task worker held no connection to cut"
                time.sleep(seconds)
            finally:
                cursor.execute(f'ALTER DATABASE "{db["NAME"]}" WITH ALLOW_CONNECTIONS true')
    finally:
        admin.close()


def all_done(app):
    def check():
        statuses = list(DBTaskResult.objects.values_list("status", flat=True))
        return bool(statuses) and all(s == "SUCCESSFUL" for s in statuses)

    deadline = time.monotonic() + DONE_WITHIN
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    left = list(DBTaskResult.objects.values_list("task_path", "status"))
    pytest.fail(f"tasks not done after {DONE_WITHIN} s: {left}\n--- gunicorn and worker output ---\n{app.output()}")


def test_the_worker_outlives_a_database_restart_and_sends_the_next_hand_off(app):
    worker = app.task_worker()
    restart_as_seen_by_the_worker()
    # A hand-off after the restart: opening a dossier queues the mail to the invited agencies.
    people = factories.make_people()
    dossier = factories.open_dossier(people, "Setelah PostgreSQL dimulai ulang")
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_handoff").exists()
    all_done(app)
    assert Notice.objects.filter(dossier=dossier).exists()
    # It came back by reconnecting, not by being started again.
    assert app.task_worker() == worker


def test_a_task_left_running_by_a_killed_worker_is_done_by_the_next(app):
    people = factories.make_people()
    factories.open_dossier(people, "Pekerja mati di tengah tugas")
    all_done(app)
    worker = app.task_worker()
    # The worker's name, off any task it did (the hand-off; a role given in make_people is told too).
    name = DBTaskResult.objects.filter(status="SUCCESSFUL").first().worker_ids[-1]
    event = AuditEvent.objects.order_by("-pk").first()
    # What a worker killed in the middle of a hand-off leaves: the task claimed in its name, running.
    with transaction.atomic():
        lost = deliver_handoff.enqueue(event.pk)
        DBTaskResult.objects.filter(pk=lost.id).update(status="RUNNING", started_at=timezone.now(), worker_ids=[name])
    os.kill(worker, signal.SIGKILL)
    until(lambda: (p := app.task_worker()) and p != worker, 30, f"gunicorn started no new task worker\n{app.output()}")
    all_done(app)
    # Its successor took it up under the same name.
    assert DBTaskResult.objects.get(pk=lost.id).worker_ids == [name, name], app.output()


# A stand-in for gunicorn's master: it starts the task worker from a thread of its own and waits. The
# worker is told it ended (task_worker --parent) as gunicorn's is: when that thread, then it, ends.
MASTER = """
import os, sys, threading
def start():
    print(os.posix_spawn(sys.executable, [sys.executable, "manage.py", "task_worker", "--no-reload",
                                          "--parent", str(os.getpid()), "--worker-id", "sop-iku@uji"], os.environ),
          flush=True)
starter = threading.Thread(target=start)
starter.start()
starter.join()
sys.stdin.read()
"""


def alive(pid) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_a_task_under_way_when_the_master_stops_is_finished_not_failed(settings, tmp_path):
    """A master being stopped sends its task worker SIGTERM (gunicorn.conf.py on_exit), and the
    worker hears of the master's end as well (--parent): when the thread that started it ends, and
    when the master does. db_worker took whichever came second as "stop now": the task under way
    was stopped in the middle and recorded FAILED, its hand-off e-mail never sent (the stack drill's
    upgrade, at each restart of the previous release). Now only a second SIGTERM stops it at once."""
    require_postgres()
    settings.TASKS = QUEUE
    people = factories.make_people()
    db = connection.settings_dict
    holder = connection.Database.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                                         host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    with open(tmp_path / "worker.log", "w") as log:
        master = subprocess.Popen([sys.executable, "-c", MASTER], cwd=ROOT, env=app_env(), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=log, text=True)
    worker = int(master.stdout.readline())
    try:
        # What making the people queued (the roles given are told) is done first.
        until(lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(), 30, "the worker took no task")
        # The hand-off's notices wait for this lock: the task is under way while the signals come.
        holder.cursor().execute("LOCK TABLE notices_notice IN SHARE MODE")
        dossier = factories.open_dossier(people, "Dihentikan di tengah tugas")
        until(lambda: DBTaskResult.objects.filter(status="RUNNING").exists(), 30, "no task under way")
        os.kill(worker, signal.SIGTERM)
        time.sleep(1)
        master.kill()
        master.wait()
        time.sleep(1)
        assert alive(worker), (tmp_path / "worker.log").read_text()
    finally:
        holder.rollback()
        holder.close()
        master.kill()
        master.wait()
    try:
        until(lambda: not alive(worker), 30, "the worker did not stop after its task")
    finally:
        # Nothing of it may hold the test database, which is dropped after the tests.
        if alive(worker):
            os.kill(worker, signal.SIGKILL)
    assert list(DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("task_path", "status")) == [], (
        (tmp_path / "worker.log").read_text())
    assert Notice.objects.filter(dossier=dossier).exists()
