"""The embedded SQLite default, as the README's first command runs it, with the web workers and the
task worker writing at once: nobody is answered "database is locked".

Each writer is its own process on one database file, as gunicorn's workers and `db_worker` are; each
transaction reads, then writes (a form checked against the dossier, then saved), the pattern that
fails at once in SQLite's default (deferred) mode when two meet.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import django, sys
django.setup()
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
failures = 0
for n in range(int(sys.argv[2])):
    try:
        with transaction.atomic():
            Session.objects.filter(session_key__startswith=sys.argv[1]).count()
            Session.objects.create(session_key=f"{sys.argv[1]}-{n}", session_data="x", expire_date=timezone.now())
    except Exception as error:
        failures += 1
        print(type(error).__name__, error, file=sys.stderr)
print(failures)
"""


def run_writers(database: Path, writers: int, each: int) -> tuple[int, str]:
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "sop_iku.settings",
                        "DJANGO_DEBUG": "true", "PYTHONPATH": str(ROOT)}
    started = [subprocess.Popen([sys.executable, "-c", WRITER, f"w{i}", str(each)], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(writers)]
    failures, errors = 0, ""
    for process in started:
        out, err = process.communicate(timeout=120)
        failures += int(out.strip().splitlines()[-1])
        errors += err
    return failures, errors


def test_eight_writers_on_the_sqlite_file_never_meet_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "sessions", "-v", "0"], cwd=ROOT, env=env, check=True)
    failures, errors = run_writers(database, writers=8, each=40)
    assert failures == 0, errors[:2000]
    assert "locked" not in errors
    # WAL stays with the file: readers go on beside the writer.
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone() == ("wal",)
