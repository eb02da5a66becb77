"""gunicorn for SOP-IKU: `.venv/bin/gunicorn -c gunicorn.conf.py sop_iku.wsgi`."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from gunicorn.http import wsgi

bind = os.environ.get("SOP_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SOP_WORKERS", "2"))
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


def _start_worker(server):
    global _worker
    with _worker_lock:
        if _stopping.is_set():
            return None
        _worker = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--no-reload", "--parent", str(os.getpid()),
             # One name per place (host and port), kept across restarts: a successor puts back the
             # task its predecessor was cut off in (workflow/management/commands/task_worker.py).
             "--worker-id", f"gunicorn-{server.cfg.bind[0]}@{socket.gethostname()}"[:64]],
            cwd=Path(__file__).resolve().parent,
        )
        server.log.info("Task worker started (pid %s)", _worker.pid)
        return _worker


def _keep_worker(server):
    pause = 0.0
    while not _stopping.is_set():
        started = time.monotonic()
        process = _start_worker(server)
        if process is None:
            return
        # gunicorn's master reaps any child that ends (waitpid(-1)); then the status is lost here
        # and reads as 0. Any end the master did not ask for is unexpected.
        status = process.wait()
        pause = 1.0 if not pause or time.monotonic() - started > _STEADY_AFTER else min(pause * 2, 30.0)
        # Told only after the pause: when the whole group was sent SIGTERM (Ctrl-C in a terminal),
        # the worker ends a moment before the master stops, and nothing went wrong.
        if _stopping.wait(pause):
            return
        server.log.error("Task worker (pid %s) ended (status %s); starting it again", process.pid, status)


def when_ready(server):
    if os.environ.get("SOP_RUN_WORKER", "").lower() in ("1", "true", "yes"):
        threading.Thread(target=_keep_worker, args=(server,), name="task-worker", daemon=True).start()


def on_exit(server):
    with _worker_lock:
        _stopping.set()
        process = _worker
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
