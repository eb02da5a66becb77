"""gunicorn for SOP-IKU: `.venv/bin/gunicorn -c gunicorn.conf.py sop_iku.wsgi`."""

import os
import subprocess
import sys
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
# The task worker (`manage.py db_worker`: hand-off e-mails, reminders, long documents). A server
# runs it as its own service (deploy/sop-iku-worker.service); with SOP_RUN_WORKER=true (the quick
# start) gunicorn starts it beside the app and stops it with the app.
_worker = None


def when_ready(server):
    global _worker
    if os.environ.get("SOP_RUN_WORKER", "").lower() in ("1", "true", "yes"):
        _worker = subprocess.Popen([sys.executable, "manage.py", "db_worker"], cwd=Path(__file__).resolve().parent)
        server.log.info("Task worker started (pid %s)", _worker.pid)


def on_exit(server):
    if _worker is not None and _worker.poll() is None:
        _worker.terminate()
        try:
            _worker.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            _worker.kill()
