"""Two programs writing to one dossier at the same moment through the API, both with the If-Match
of the same revision: exactly one write goes through, the other is answered 412 with the new
ETag, one audit event is written, and nothing of the loser's write is anywhere.

Real threads and real connections, on SQLite and on PostgreSQL. Both requests are held, by a
barrier, past their If-Match check (both read the same revision and were admitted) until the other
is too: the recorded overlap. On PostgreSQL the winner also waits, holding the row lock, until the
loser is seen waiting on it. No sleep decides anything.
"""

import threading

import pytest
from django.db import connection
from django_fsm.signals import pre_transition

from tests.api.helpers import as_token
from tests.factories import dossier_at
from tests.workflow.test_concurrency import at_once, waiting_on_locks
from workflow import services
from workflow.actions import Action
from workflow.models import Dossier
from workflow.steps import DIBATALKAN, STEP_BY_NUMBER

# serialized_rollback puts back the SKPD rows the migration seeded, which a transactional test flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AT = STEP_BY_NUMBER[7].state
RETURN_NOTE = "Catatan kembali PENANDA-RETURN"
CANCEL_NOTE = "Alasan batal PENANDA-CANCEL"


def race(monkeypatch, calls):
    """Run each `call()` (an API request) at once in its own thread and connection. Each is held
    on entering `services.perform`, past its If-Match check, until every other has reached it too;
    then the first to take the dossier's row waits there (PostgreSQL) until the others are seen
    waiting for it. Returns the responses and the revision each request had read."""
    admitted = threading.Barrier(len(calls), timeout=30)
    read, first = [], threading.Lock()
    overlapped = []
    perform = services.perform

    def held(dossier, user, action, **fields):
        read.append(dossier.revision)
        admitted.wait()
        return perform(dossier, user, action, **fields)

    def hold_the_row(**kwargs):
        if connection.vendor == "postgresql" and first.acquire(blocking=False):
            overlapped.append(waiting_on_locks(len(calls) - 1))

    monkeypatch.setattr(services, "perform", held)
    pre_transition.connect(hold_the_row)
    try:
        responses = at_once([lambda ready, call=call: (ready(), call())[1] for call in calls])
    finally:
        pre_transition.disconnect(hold_the_row)
    assert len(read) == len(calls) and admitted.n_waiting == 0 and not admitted.broken
    if connection.vendor == "postgresql":
        assert overlapped == [len(calls) - 1], overlapped
    return responses, read


def post(caller, dossier, action, body, tag):
    return lambda: caller.post(f"/api/v1/dosier/{dossier.pk}/aksi/{action}/", body, HTTP_IF_MATCH=tag)


@pytest.mark.parametrize("writes", ["the same paraf twice", "a return and a cancellation"])
def test_two_writes_with_the_same_if_match_give_one_write_and_a_412(people, racing_database, monkeypatch, writes):
    dossier = dossier_at(people, AT)
    tag = f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'
    events_before, visits_before = dossier.events.count(), dossier.visits.count()
    if writes == "the same paraf twice":
        attempts = [(as_token(people, "kabag", nama=f"Program {n}"), Action.SELESAIKAN, {"catatan": f"Paraf {n}"})
                    for n in (1, 2)]
    else:
        attempts = [(as_token(people, "kabag", nama="Program 1"), Action.KEMBALIKAN, {"catatan": RETURN_NOTE}),
                    (as_token(people, "kabiro", nama="Program 2"), Action.BATALKAN, {"alasan": CANCEL_NOTE})]
    responses, read = race(monkeypatch, [post(c, dossier, a, body, tag) for c, a, body in attempts])
    assert read == [dossier.revision] * 2

    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [200, 412], [(r.status_code, r.content[:300]) for r in responses]
    won = statuses.index(200)
    winner, loser = responses[won], responses[1 - won]
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.revision == dossier.revision + 1 and winner.json()["posisi"] == after.state
    assert loser.json()["revisi"] == after.revision and "sudah berubah" in loser.json()["detail"]
    assert loser["ETag"] == f'"{after.pk}-{after.revision}-{after.state}"'

    (event,) = after.events.order_by("pk")[events_before:]
    assert event.action == attempts[won][1] and event.data["token_api"] == f"Program {won + 1}"
    assert event.from_state == AT and event.to_state == after.state
    # Nothing of the loser's write is anywhere: not its note, not its move, not a clock it opened.
    lost = next(iter(attempts[1 - won][2].values()))
    assert not any(lost in f"{e.note} {e.data}" for e in after.events.all())
    cancelled = after.state == DIBATALKAN
    assert after.visits.count() == visits_before + (0 if cancelled else 1)
    assert after.visits.filter(left_at__isnull=True).count() == (0 if cancelled else 1)
