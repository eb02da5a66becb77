"""gunicorn for SOP-IKU: `.venv/bin/gunicorn -c gunicorn.conf.py sop_iku.wsgi`."""

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

from gunicorn.http import wsgi

bind = os.environ.get("SOP_BIND", "127.0.0.1:8000")
try:
    workers = int(os.environ.get("SOP_WORKERS", "2"))
except ValueError:
    # Said as the settings say a wrong value (sop_iku/environment.py), not as gunicorn's traceback;
    # imported only here, so the master holds none of the app's modules.
    from sop_iku.environment import WHERE

    sys.exit(f"SOP_WORKERS={os.environ['SOP_WORKERS']!r} bukan bilangan bulat: isi SOP_WORKERS dengan banyaknya "
             f"proses (misalnya 2, yang dipakai tanpa baris itu) {WHERE}, lalu jalankan lagi.")
# A PDF of a long decree takes a few seconds; nothing should take longer.
timeout = 60
graceful_timeout = 30
# Workers are replaced now and then, so a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
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
        server.log.info("Task worker started (pid %s)", _worker)
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
        server.log.error("Task worker (pid %s) ended (status %s); starting it again", pid, status)


def when_ready(server):
    if os.environ.get("SOP_RUN_WORKER", "").lower() in ("1", "true", "yes"):
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
