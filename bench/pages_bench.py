"""How the pages people use all day scale: each page's time and query count with 10 dossiers and
with 10,000 (a decade of rounds is ~10; 10,000 is far past what a bureau makes, on purpose).

Run: .venv/bin/python bench/pages_bench.py   (a throwaway SQLite database in a temp folder)
"""

import time

import throwaway_django  # noqa: F401 - sets up Django on a throwaway database first
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from workflow import demo
from workflow.models import Dossier, Skpd, StepVisit
from workflow.steps import STEPS

PAGES = {"inbox (kasubag)": ("kasubag", "/"), "archive (kasubag)": ("kasubag", "/arsip/"),
         "archive search (kasubag)": ("kasubag", "/arsip/?q=Massal+99&tahun=2027"),
         "dashboard (kabiro)": ("kabiro", "/dasbor/"), "inbox (dinkes)": ("dinkes", "/"),
         "dossier page (kabag)": ("kabag", None)}


def add_dossiers(people, count: int):
    """Dossiers spread over the nine steps, made in bulk: volume, not history, is measured here."""
    now = timezone.now()
    made = Dossier.objects.bulk_create(
        [Dossier(tahun=2027, judul=f"Massal {i}", created_by=people["kasubag"], created_at=now, state_entered_at=now)
         for i in range(count)]
    )
    # bulk_create cannot set a protected FSM field; spread them over the steps afterwards.
    for number, step in enumerate(STEPS):
        Dossier.objects.filter(pk__in=[d.pk for d in made[number::len(STEPS)]]).update(state=step.state)
    through = Dossier.invited.through
    skpd = list(Skpd.objects.filter(nama_pendek__in=demo.DEMO_SKPD))
    through.objects.bulk_create([through(dossier=d, skpd=s) for d in made for s in skpd])
    states = dict(Dossier.objects.filter(pk__in=[d.pk for d in made]).values_list("pk", "state"))
    StepVisit.objects.bulk_create([StepVisit(dossier=d, state=states[d.pk], entered_at=now) for d in made])


def timed(client, path) -> tuple[float, int]:
    """The fastest of 5 looks and its query count."""
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return min(times), len(queries.captured_queries)


def measure(clients, url) -> tuple[float, int]:
    user, path = url
    clients[user].get(path)  # warm
    return timed(clients[user], path)


def main():
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    people = demo.ensure_people()
    clients = {}
    for name in ("kasubag", "kabiro", "kabag", "dinkes"):
        clients[name] = Client()
        clients[name].force_login(people[name])
    walked = demo.walk_to(demo.open_dossier(people, 2027, "Dosier yang dibuka"), people, STEPS[6].state, returns=1)
    PAGES["dossier page (kabag)"] = ("kabag", f"/dosier/{walked.pk}/")
    results = {}
    for total in (10, 10_000):
        add_dossiers(people, total - Dossier.objects.count())
        results[total] = {name: measure(clients, url) for name, url in PAGES.items()}
    print(f"\n{'page':28} {'10 dossiers':>20} {'10,000 dossiers':>20} {'ratio':>7}")
    for name in PAGES:
        (small_s, small_q), (big_s, big_q) = results[10][name], results[10_000][name]
        print(f"{name:28} {small_s * 1000:9.1f} ms {small_q:3} q {big_s * 1000:9.1f} ms {big_q:3} q "
              f"{big_s / small_s:6.1f}x")


if __name__ == "__main__":
    main()
