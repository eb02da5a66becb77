"""gunicorn for SOP-IKU: `.venv/bin/gunicorn -c gunicorn.conf.py sop_iku.wsgi`."""

import os

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
