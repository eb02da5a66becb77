"""Django set up on a throwaway SQLite database in a temp folder, for the bench scripts.

Import it before anything from Django or the app: it must choose the database before settings load.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="sopiku-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_iku.settings")
# As these benches always ran: settings read with DEBUG on (no production secret key or hosts needed).
os.environ.setdefault("DJANGO_DEBUG", "true")

import django  # noqa: E402

django.setup()
