"""gunicorn for SOP-IKU: `.venv/bin/gunicorn -c gunicorn.conf.py sop_iku.wsgi`."""

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from gunicorn.glogging import Logger
from gunicorn.http import wsgi

bind = os.environ.get("SOP_BIND", "127.0.0.1:8000")


def _refuse(name: str, what: str, example: str):
    """A wrong value said as the settings say one (sop_iku/environment.py), not as gunicorn's traceback
    or a value quietly read as its default; imported only here, so the master holds none of the app's
    modules for the workers it forks after a reload."""
    from sop_iku.environment import WHERE

    sys.exit(f"{name}={os.environ[name]!r} bukan {what}: isi {name} dengan {example} {WHERE}, lalu jalankan lagi.")


def _switch(name: str) -> bool:
    """On or off as the settings read a switch (env_bool): "on" read as off left the quick
    start without its task worker, so no hand-off e-mail went, and nothing said why."""
    value = os.environ.get(name, "").lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value not in ("0", "false", "no", "off", ""):
        _refuse(name, "true atau false", "true atau false (tanpa baris itu: false)")
    return False


try:
    workers = int(os.environ.get("SOP_WORKERS", "2"))
except ValueError:
    _refuse("SOP_WORKERS", "bilangan bulat", "banyaknya proses (misalnya 2, yang dipakai tanpa baris itu)")
_run_worker = _switch("SOP_RUN_WORKER")
# A PDF of a long decree takes a few seconds; nothing should take longer.
timeout = 60
graceful_timeout = 30
# Workers are replaced now and then, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# HAProxy asks each server /siap/ every second (deploy/haproxy.cfg), liveness asks /sehat/: a line per
# check was most of the journal, all of it "200". The app says when a check's answer changes
# (sop_iku/health.py), so the checks are left out of the access log.
HEALTH_CHECKS = ("/siap/", "/sehat/")


class QuietChecksLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") not in HEALTH_CHECKS:
            super().access(resp, req, environ, request_time)


logger_class = QuietChecksLogger
# The Server header need not tell which server software and version answers.
wsgi.SERVER = "SOP-IKU"
# The task worker (`manage.py task_worker`: hand-off e-mails, reminders, long documents). A server
# runs it as its own service (deploy/sop-iku-worker.service); with SOP_RUN_WORKER=true (the quick
# start) gunicorn starts it beside the app and stops it with the app. It outlives its database going
# away by itself; should it end anyway (killed, out of memory, a bug), a thread of the master starts
# it again, as systemd's Restart=always does for the service. --parent makes it stop when the master
# ends, even by kill -9, so a master started again never finds an orphaned worker beside its own.
_worker = None
_worker_lock = threading.Lock()
_stopping = threading.Event()
# A worker that ends sooner than this after starting is started again after a growing pause.
_STEADY_AFTER = 30.0


def _start_worker(server) -> int | None:
    global _worker
    with _worker_lock:
        if _stopping.is_set():
            return None
        manage = str(Path(__file__).resolve().parent / "manage.py")
        args = [sys.executable, manage, "task_worker", "--no-reload", "--parent", str(os.getpid()),
                # One name per place (host and port), kept across restarts: a successor puts back the
                # task its predecessor was cut off in (workflow/management/commands/task_worker.py).
                "--worker-id", f"gunicorn-{server.cfg.bind[0]}@{socket.gethostname()}"[:64]]
        # posix_spawn, not subprocess: a web worker forked by the master between subprocess's fork
        # and exec kept its error pipe open, and this thread waited on that pipe for good.
        _worker = os.posix_spawn(sys.executable, args, os.environ)
        server.log.info("Pekerja tugas dimulai (pid %s)", _worker)
        return _worker


def _ended(pid: int) -> int | None:
    """The worker's exit status once it has ended, else None. gunicorn's master reaps any child
    that ends (waitpid(-1)); then the status is lost here and reads as 0."""
    try:
        found, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return 0
    return None if found == 0 else os.waitstatus_to_exitcode(status)


def _keep_worker(server):
    pause = 0.0
    while not _stopping.is_set():
        started = time.monotonic()
        pid = _start_worker(server)
        if pid is None:
            return
        while (status := _ended(pid)) is None:
            if _stopping.wait(0.5):
                return
        # Any end the master did not ask for is unexpected.
        pause = 1.0 if not pause or time.monotonic() - started > _STEADY_AFTER else min(pause * 2, 30.0)
        # Told only after the pause: when the whole group was sent SIGTERM (Ctrl-C in a terminal),
        # the worker ends a moment before the master stops, and nothing went wrong.
        if _stopping.wait(pause):
            return
        server.log.error("Pekerja tugas (pid %s) berakhir (status %s); dimulai lagi", pid, status)


def when_ready(server):
    if _run_worker:
        threading.Thread(target=_keep_worker, args=(server,), name="task-worker", daemon=True).start()


def on_exit(server):
    with _worker_lock:
        _stopping.set()
        pid = _worker
    if pid is None or _ended(pid) is not None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + graceful_timeout
    while _ended(pid) is None:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return
        time.sleep(0.2)
