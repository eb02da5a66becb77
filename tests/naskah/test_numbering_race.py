"""Twenty officers pressing *Buat Undangan* for the same letter at the same moment: one number, twenty
distinct versions (issue 29, item 4).

Needs PostgreSQL: real threads on real connections contending for row locks (SQLite serialises
every writer instead).
"""

import threading
import time

import pytest
from django.utils import timezone

from naskah.models import NaskahRecord, SerialCounter
from tests.factories import client_for
from tests.naskah.helpers import form_data
from tests.workflow.test_concurrency import at_once
from workflow.steps import DocKind

# serialized_rollback puts back the rows the migrations seeded (agencies, numbering rules).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OFFICERS = 20


def overlapped(spans):
    """Every request was still running when the last one started: they were all in flight at once."""
    return max(start for start, _ in spans) < min(end for _, end in spans)


@pytest.mark.postgres
def test_twenty_buat_undangan_at_once_give_one_number_and_distinct_versions(people, dossier):
    data = form_data(dossier, DocKind.UNDANGAN)
    url = f"/dosier/{dossier.pk}/buat/{DocKind.UNDANGAN}/"
    spans, lock = [], threading.Lock()

    def press(client):
        def run(ready):
            ready()
            start = time.monotonic()
            response = client.post(url, data)
            with lock:
                spans.append((start, time.monotonic()))
            return response
        return run

    clients = [client_for(people, "staf" if i % 2 else "kasubag") for i in range(OFFICERS)]
    responses = at_once([press(client) for client in clients])

    assert [getattr(r, "status_code", r) for r in responses] == [302] * OFFICERS
    assert len(spans) == OFFICERS and overlapped(spans), spans
    made = NaskahRecord.objects.filter(document__dossier=dossier, document__kind=DocKind.UNDANGAN)
    year = timezone.localdate().year
    assert set(made.values_list("nomor", flat=True)) == {f"000.1.5/1/Kesra/{year}"}
    assert sorted(made.values_list("versi", flat=True)) == list(range(1, OFFICERS + 1))
    assert SerialCounter.objects.get(kind=DocKind.UNDANGAN, tahun=year).terakhir == 1
