"""A province's round writes thousands of events (drafts saved, reminders, uploads): the dossier page
read and listed them all (5,000 events: 1.4 s on SQLite, 2.4 s on PostgreSQL, 2 MB). It lists the
latest and links to the rest, on a history page of their own; the timeline still names who finished
and who returned each step, however long ago."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import client_for
from workflow.actions import DRAFT_IKU, REMIND
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER
from workflow.views.dossier import HISTORY_PAGE
from workflow.views.timeline import LATEST


def _add_events(dossier, count):
    """`count` events that move nothing, one a minute after now, noted 'Peristiwa <n>'."""
    start = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(dossier=dossier, at=start + dt.timedelta(minutes=n), actor_label="Dinas Kesehatan (API)",
                   action=DRAFT_IKU if n % 2 else REMIND, from_state=dossier.state, to_state=dossier.state,
                   note=f"Peristiwa {n}.")
        for n in range(count))


def _notes(html):
    return re.findall(r"Peristiwa (\d+)\.", html)


def test_the_dossier_page_lists_the_latest_events_and_links_to_the_rest(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    kabag = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/"
    kabag.get(url)
    with CaptureQueriesContext(connection) as short:
        kabag.get(url)
    _add_events(dossier, 2 * HISTORY_PAGE + 30)
    total = dossier.events.count()
    with CaptureQueriesContext(connection) as long:
        page = kabag.get(url).content.decode()
    assert len(long) == len(short)
    # The latest events, oldest of them first; the older ones a link away, and on paper its address.
    assert _notes(page) == [str(n) for n in range(2 * HISTORY_PAGE + 30 - LATEST, 2 * HISTORY_PAGE + 30)]
    assert f"{LATEST} peristiwa terakhir dari {total}." in page
    assert f'href="/dosier/{dossier.pk}/riwayat/">Lihat seluruh riwayat ({total} peristiwa)' in page
    assert f"Seluruh riwayat ({total} peristiwa) ada di http://testserver/dosier/{dossier.pk}/riwayat/" in page
    # The steps still say who finished them and the Kabag's return, events now far from the latest.
    steps = page.split("Sembilan langkah SOP")[1]
    step1 = steps.split("Langkah 1: ")[1].split("</li>")[0]
    assert "Diselesaikan oleh" in step1
    step7 = steps.split("Langkah 7: ")[1].split("</li>")[0]
    assert "Dikembalikan oleh" in step7


def test_the_history_page_gives_every_event_once_a_page_at_a_time_and_whole_to_print(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    _add_events(dossier, 2 * HISTORY_PAGE + 30)
    every = list(dossier.events.order_by("at", "pk").values_list("note", flat=True))
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/riwayat/"
    kasubag.get(url)
    read, queries, number = [], set(), 1
    while True:
        with CaptureQueriesContext(connection) as seen:
            response = kasubag.get(f"{url}?hal={number}")
        assert response.status_code == 200
        queries.add(len(seen))
        html = response.content.decode()
        assert f"{len(every)} peristiwa, dari yang terlama" in html
        read += _notes(html)
        if "Berikutnya" not in html:
            break
        number += 1
    assert number == 3 and len(queries) == 1
    assert read == [m for note in every for m in _notes(note)]
    assert "Menyelesaikan langkah" in kasubag.get(f"{url}?hal=1").content.decode()
    whole = kasubag.get(f"{url}?hal=semua").content.decode()
    assert _notes(whole) == read and "Halaman 1" not in whole


def test_an_agency_reads_no_history_of_a_long_round(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    _add_events(dossier, LATEST + 5)
    dinkes = client_for(people, "dinkes")
    page = dinkes.get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Riwayat" not in page and not _notes(page) and "/riwayat/" not in page
    refused = dinkes.get(f"/dosier/{dossier.pk}/riwayat/")
    assert refused.status_code == 403 and not _notes(refused.content.decode())
    assert client_for(people, "dishub").get(f"/dosier/{dossier.pk}/riwayat/").status_code == 404
