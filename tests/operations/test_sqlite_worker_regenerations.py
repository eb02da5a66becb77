"""The README's own install (SQLite in a file, `manage.py task_worker` beside the web) never says
"database is locked" (issue 25): twenty drafts made again at once through the pages (Surat and Nota
Dinas, each rendered inside its request's transaction), draft decrees queued for the worker and new
dossiers opened meanwhile, while the real worker process lays out the decrees and tells the hand-offs.
Every request succeeds, every new version is stored, every task the worker ran is SUCCESSFUL.

The web side is one process of threads, each with its own connection to the file, as a threaded
server runs; the worker is its own process, as in production.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGENERATIONS = 20
LOAD = """
import json, sys, threading, time
import django
django.setup()
from django.db import connections
from django.test.utils import setup_test_environment
setup_test_environment()
from django_tasks_db.models import DBTaskResult
from naskah.models import RenderJob
from tests import factories
from tests.naskah.helpers import form_data
from workflow.models import Document, Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind

people = factories.make_people()
letters = [factories.dossier_at(people, STEP_BY_NUMBER[4].state, judul=f"Surat {n}") for n in range(2)]
notes = [factories.dossier_at(people, STEP_BY_NUMBER[6].state, judul=f"Nota {n}") for n in range(4)]
# Draft decrees queued first: the worker is laying one out when the burst begins.
for dossier in notes:
    answer = factories.client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/{DocKind.DRAFT_KEPGUB}/",
                                                         form_data(dossier, DocKind.DRAFT_KEPGUB))
    assert answer.status_code == 302, answer.status_code
work = []  # (client, url, data)
for n in range(int(sys.argv[1])):
    dossier, username, kind = ((letters[n // 2 % 2], "kabiro", DocKind.SURAT_SKPD) if n % 2
                               else (notes[n // 2 % 4], "kasubag", DocKind.NOTA_DINAS))
    work.append((factories.client_for(people, username), f"/dosier/{dossier.pk}/buat/{kind}/",
                 form_data(dossier, kind, hal=f"Dibuat ulang {n}")))
for n in range(4):  # ordinary writes: new dossiers, whose invitations the worker tells
    work.append((factories.client_for(people, "kasubag"), "/dosier/baru/",
                 {"tahun": "2028", "judul": f"Dosier web {n}", "invited": [people["dinkes"].skpd_id],
                  "tetap_buat": "on"}))
before = {(d.pk, kind): Document.objects.filter(dossier=d, kind=kind).count()
          for d in letters + notes for kind in (DocKind.SURAT_SKPD, DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB)}
dossiers_before = Dossier.objects.count()
connections.close_all()

answers, errors = [None] * len(work), []
start = threading.Barrier(len(work))

def post(i, client, url, data):
    try:
        start.wait()
        response = client.post(url, data)
        answers[i] = response.status_code
        if response.status_code != 302:
            errors.append(f"{url}: {response.status_code} {response.content.decode()[:300]}")
    except Exception as error:
        errors.append(f"{url}: {type(error).__name__}: {error}")
    finally:
        connections.close_all()

threads = [threading.Thread(target=post, args=(i, *item)) for i, item in enumerate(work)]
deadline = time.monotonic() + 60
while not RenderJob.objects.filter(status="berjalan").exists() and time.monotonic() < deadline:
    time.sleep(0.05)
rendering = RenderJob.objects.filter(status="berjalan").count()
began = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
web = time.monotonic() - began
deadline = time.monotonic() + 60
while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists() and time.monotonic() < deadline:
    time.sleep(0.2)
made = {f"{pk}-{kind}": Document.objects.filter(dossier_id=pk, kind=kind).count() - count
        for (pk, kind), count in before.items()}
print(json.dumps({
    "answers": answers, "errors": errors, "web_seconds": round(web, 1), "made": made, "rendering": rendering,
    "dossiers": Dossier.objects.count() - dossiers_before,
    "tasks": sorted(DBTaskResult.objects.values_list("task_path", "status")),
    "jobs": sorted(RenderJob.objects.values_list("status", flat=True)),
}))
"""


@pytest.mark.slow
def test_twenty_regenerations_and_the_worker_on_the_sqlite_file_meet_no_locked_database(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = os.environ | {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_DEBUG": "true", "PYTHONPATH": str(ROOT)}
    env.pop("SOP_TASKS_IMMEDIATE", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    worker = subprocess.Popen([sys.executable, "manage.py", "task_worker", "--interval", "0.1", "--no-reload",
                               "--no-startup-delay", "--worker-id", "uji@regenerasi"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        load = subprocess.run([sys.executable, "-c", LOAD, str(REGENERATIONS)], cwd=ROOT,
                              env=env | {"DJANGO_SETTINGS_MODULE": "tests.settings"},
                              capture_output=True, text=True, timeout=180)
    finally:
        worker.terminate()
        worker_log = worker.communicate(timeout=30)[0]
    assert load.returncode == 0, load.stderr[-3000:]
    found = json.loads(load.stdout.strip().splitlines()[-1])
    assert found["errors"] == [] and set(found["answers"]) == {302}, found
    # Every new version stored: ten of each letter kind, one decree per Nota dossier.
    made = found["made"]
    assert sum(n for key, n in made.items() if key.endswith("surat_skpd")) == REGENERATIONS // 2, made
    assert sum(n for key, n in made.items() if key.endswith("nota_dinas")) == REGENERATIONS // 2, made
    assert sorted(n for key, n in made.items() if key.endswith("draft_kepgub")) == [0, 0, 1, 1, 1, 1], made
    assert found["dossiers"] == 4
    # The worker was laying out a decree when the burst began, and ran the decrees and the hand-offs' notices, each to its end.
    tasks = found["tasks"]
    assert [status for _, status in tasks] == ["SUCCESSFUL"] * len(tasks), tasks
    assert found["rendering"] == 1 and sum(path.endswith("render_job") for path, _ in tasks) == 4, found
    assert found["jobs"] and set(found["jobs"]) == {"selesai"}, found["jobs"]
    assert "locked" not in load.stderr + worker_log, (load.stderr + worker_log)[-3000:]
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone() == ("wal",)
