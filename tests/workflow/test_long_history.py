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
from workflow.views.dossier import HISTORY_PAGE, PRINT_PART
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


def dotted(number: int) -> str:
    """A number as the pages write it: 2.049."""
    return f"{number:,}".replace(",", ".")


def test_the_page_to_print_lists_a_bounded_part_says_why_and_links_to_the_rest(people, walk):
    """A round of tens of thousands of events made `?hal=semua` one page of all of them, which a
    browser could hardly open or print. It lists PRINT_PART at most, says so and why, and links to
    each part; the printed sheet says which part it is."""
    dossier = walk(STEP_BY_NUMBER[7].state)
    _add_events(dossier, PRINT_PART + 30)
    every = [m for note in dossier.events.order_by("at", "pk").values_list("note", flat=True) for m in _notes(note)]
    total = dossier.events.count()
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/riwayat/"
    paged = kasubag.get(url).content.decode()
    assert 'href="?hal=semua">Tampilkan untuk dicetak, per 1.000 peristiwa</a>' in paged

    first = re.sub(r"\s+", " ", kasubag.get(f"{url}?hal=semua").content.decode())
    listed = _notes(first)
    assert len(first) < 2_000_000 and len(listed) <= PRINT_PART
    assert f"{dotted(total)} peristiwa, dari yang terlama; bagian 1 dari 2: peristiwa 1–1.000." in first
    assert ("Riwayat ini terlalu panjang untuk satu halaman cetak: setiap halaman cetak memuat paling banyak "
            "1.000 peristiwa, agar dapat dibuka dan dicetak peramban. Cetak bagian demi bagian:") in first
    assert '<strong aria-current="page">Bagian 1</strong>' in first
    assert '<a href="?hal=semua&amp;bagian=2">Bagian 2</a>' in first
    second = re.sub(r"\s+", " ", kasubag.get(f"{url}?hal=semua&bagian=2").content.decode())
    assert f"bagian 2 dari 2: peristiwa 1.001–{dotted(total)}." in second
    # Every event once, in order, across the parts.
    assert listed + _notes(second) == every


def test_a_history_short_enough_prints_whole_with_no_word_of_parts(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    _add_events(dossier, HISTORY_PAGE + 1)
    whole = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/riwayat/?hal=semua").content.decode()
    assert len(_notes(whole)) == HISTORY_PAGE + 1
    assert "bagian" not in whole.lower() and "Tampilkan per halaman" in whole


def test_the_dossier_page_counts_a_province_s_events_as_its_history_page_does(people, walk):
    # 1,200 events: the dossier page read "Lihat seluruh riwayat (1219 peristiwa)", and the history
    # page it links to "1.219 peristiwa"; both now write the count as an office does.
    dossier = walk(STEP_BY_NUMBER[7].state)
    _add_events(dossier, 1200)
    total = dotted(dossier.events.count())
    kabag = client_for(people, "kabag")
    page = kabag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"{LATEST} peristiwa terakhir dari {total}." in page
    assert f"Lihat seluruh riwayat ({total} peristiwa)" in page
    assert f"Seluruh riwayat ({total} peristiwa) ada di" in page
    assert f"{total} peristiwa, dari yang terlama" in kabag.get(f"/dosier/{dossier.pk}/riwayat/").content.decode()
