"""Two users acting on one dossier at the same moment: exactly one wins, the other is told why.

Needs PostgreSQL: SQLite has no row locks and serialises whole-database writes instead.
"""

import threading
import time

import psycopg
import pytest
from django.db import connection
from django.utils import timezone
from django_fsm.signals import pre_transition

from workflow import demo, services
from workflow.actions import Action
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER

# serialized_rollback puts back the SKPD rows the migration seeded, which a transactional test flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def waiting_on_locks(expected: int, timeout: float = 10.0) -> int:
    """Hold on (called while holding a lock) until `expected` other connections to this database
    are seen waiting on a lock, as PostgreSQL itself reports them; returns how many were seen, the
    recorded proof that they overlapped. No sleep decides it: the others are seen arriving."""
    db = connection.settings_dict
    deadline = time.monotonic() + timeout
    seen = 0
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                         host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, autocommit=True) as watcher:
        while seen < expected and time.monotonic() < deadline:
            seen = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
    return seen


def at_once(calls, *, waiters: int = 0):
    """Run each call at once in its own thread and connection, started together by a barrier;
    returns each call's result, or the exception it raised. With `waiters`, the first transition to
    hold its row lock goes on only once that many others are seen waiting for it (`overlapped`
    records how many were seen)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    first = threading.Lock()

    def hold_for_the_others(**kwargs):
        if waiters and first.acquire(blocking=False):
            at_once.overlapped = waiting_on_locks(waiters)

    def attempt(i, call):
        try:
            results[i] = call(barrier.wait)
        except Exception as error:  # noqa: BLE001 - the loser's exception is the result under test
            results[i] = error
        finally:
            connection.close()

    at_once.overlapped = 0
    pre_transition.connect(hold_for_the_others)
    try:
        threads = [threading.Thread(target=attempt, args=(i, call)) for i, call in enumerate(calls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        pre_transition.disconnect(hold_for_the_others)
    return results


def race(dossier_pk, attempts):
    """Run each (user, action, fields) on one dossier at once, all from the same revision."""
    revision = Dossier.objects.get(pk=dossier_pk).revision

    def call(user, action, fields):
        def run(ready):
            dossier = Dossier.objects.get(pk=dossier_pk)
            ready()
            return services.perform(dossier, user, action, revision=revision, **fields)
        return run

    results = at_once([call(*attempt) for attempt in attempts], waiters=len(attempts) - 1)
    # Every other attempt was seen waiting on the first one's row lock: they really raced.
    assert at_once.overlapped == len(attempts) - 1, (at_once.overlapped, results)
    return results


@pytest.mark.postgres
def test_two_kabag_clicks_on_the_same_paraf_give_one_paraf(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    before = AuditEvent.objects.filter(dossier=dossier).count()
    results = race(dossier.pk, [(people["kabag"], Action.SELESAIKAN, {})] * 2)
    winners = [r for r in results if isinstance(r, AuditEvent)]
    losers = [r for r in results if isinstance(r, services.StaleDossier)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "sudah berubah" in str(losers[0])
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[8].state
    assert AuditEvent.objects.filter(dossier=dossier).count() == before + 1


@pytest.mark.postgres
def test_a_paraf_and_a_cancellation_at_once_leave_one_outcome(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    results = race(
        dossier.pk,
        [(people["kabag"], Action.KEMBALIKAN, {"catatan": "Perbaiki"}), (people["kabiro"], Action.BATALKAN, {"alasan": "Batal"})],
    )
    winners = [r for r in results if isinstance(r, AuditEvent)]
    assert len(winners) == 1, results
    assert sum(isinstance(r, services.StaleDossier) for r in results) == 1
    dossier.refresh_from_db()
    assert dossier.state == winners[0].to_state
    assert dossier.state in (STEP_BY_NUMBER[6].state, "dibatalkan")
    # The loser left nothing behind: the open clock belongs to the winner's outcome only.
    assert dossier.visits.filter(left_at__isnull=True).count() == (1 if dossier.state != "dibatalkan" else 0)


@pytest.mark.postgres
def test_the_fsm_itself_refuses_a_save_from_a_stale_copy(people, walk):
    from django_fsm import ConcurrentTransition

    dossier = walk(STEP_BY_NUMBER[8].state)
    stale = Dossier.objects.get(pk=dossier.pk)
    services.perform(dossier, people["kabiro"], Action.SELESAIKAN, revision=dossier.revision)
    stale.batalkan(by=people["kabiro"], at=timezone.now(), alasan="x")
    with pytest.raises(ConcurrentTransition):
        stale.save()
    assert demo and Dossier.objects.get(pk=dossier.pk).state == STEP_BY_NUMBER[9].state


@pytest.mark.postgres
def test_two_officers_numbering_letters_at_once_get_different_numbers():
    from django.db import transaction

    from naskah.models import SerialCounter

    def take(ready):
        ready()
        with transaction.atomic():
            number = SerialCounter.next("undangan", 2027)
            if number == 1:
                # Whoever took the counter first holds its lock until the other is seen waiting.
                seen.append(waiting_on_locks(1))
        return number

    seen = []
    numbers = at_once([take, take])
    assert seen == [1]
    assert sorted(numbers) == [1, 2], numbers
    assert SerialCounter.objects.get(kind="undangan", tahun=2027).terakhir == 2


def _unsaved_pdf(kind, i):
    from django.core.files.base import ContentFile

    from workflow.models import Document

    data = b"%PDF-1.4\n%%EOF\n"
    document = Document(kind=kind, original_name=f"{kind}-{i}.pdf", content_type="application/pdf", size=len(data))
    document.file.save(f"{kind}-{i}.pdf", ContentFile(data), save=False)
    return document


@pytest.mark.postgres
def test_staff_uploading_at_once_all_succeed(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    uploads = [(people["staf"] if i % 2 else people["kasubag"], Action.UNGGAH, {"document": _unsaved_pdf("lainnya", i)})
               for i in range(6)]
    results = race(dossier.pk, uploads)
    assert all(isinstance(r, AuditEvent) for r in results), results
    assert dossier.documents.filter(kind="lainnya").count() == 6


@pytest.mark.postgres
def test_uploads_racing_a_finish_are_refused_with_the_news_only_if_they_lost(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    demo.prepare_step(dossier, people)
    attempts = [(people["kasubag"], Action.SELESAIKAN, {})] + [
        (people["staf"], Action.UNGGAH, {"document": _unsaved_pdf("lainnya", i)}) for i in range(3)
    ]
    results = race(dossier.pk, attempts)
    # Whoever lost reads the news (an upload after the finish, or the finish after an upload it
    # did not see), never a refusal or another step's gate text.
    assert all(isinstance(r, (AuditEvent, services.StaleDossier)) for r in results), results
    assert any(isinstance(r, AuditEvent) for r in results)
    dossier.refresh_from_db()
    for result in results[1:]:
        if isinstance(result, services.StaleDossier):
            assert f"sekarang di {dossier.state_label}" in str(result)


@pytest.mark.postgres
def test_two_signing_clicks_give_one_signature(people, walk):
    from naskah import pades, record
    from naskah.generate import generate_with_defaults
    from workflow.steps import DocKind

    dossier = walk(STEP_BY_NUMBER[6].state)
    for kind in (DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB):
        generate_with_defaults(dossier, people["kasubag"], kind)
    for username in ("kasubag", "kabag"):
        demo.finish(dossier, people[username])
    results = race(dossier.pk, [(people["kabiro"], Action.SELESAIKAN, {})] * 2)
    assert sum(isinstance(r, AuditEvent) for r in results) == 1, results
    assert sum(isinstance(r, services.StaleDossier) for r in results) == 1
    made = record.latest(dossier, DocKind.NOTA_DINAS)
    assert [check.sah for check in pades.validate(record.served_bytes(made))] == [True]
    assert AuditEvent.objects.filter(dossier=dossier, from_state=STEP_BY_NUMBER[8].state).count() == 1


@pytest.mark.postgres
def test_actions_on_different_dossiers_at_once_all_succeed(people, walk):
    # They share only the audit chain's head, which each holds from its first write to its commit.
    dossiers = [walk(STEP_BY_NUMBER[7].state, judul=f"Dosier {i}") for i in range(4)]

    def paraf(pk):
        def run(ready):
            dossier = Dossier.objects.get(pk=pk)
            ready()
            return services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=dossier.revision)
        return run

    results = at_once([paraf(d.pk) for d in dossiers])
    assert all(isinstance(r, AuditEvent) for r in results), results
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("state", flat=True)) == {
        STEP_BY_NUMBER[8].state}
