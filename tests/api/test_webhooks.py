"""Webhooks against a receiver the test starts on loopback: each event the hook asked for arrives
signed with the hook's secret and a timestamp; a failure is kept and tried again later; the admin
reads every call and sends again."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from naskah.models import NaskahRecord
from tests.api.helpers import as_token
from tests.api.receiver import Receiver
from tests.factories import client_for, prepare_step, walk_to
from tests.naskah.helpers import generate
from webhooks import delivery as sending
from webhooks import signing
from webhooks.models import Delivery, Event, Webhook
from workflow import services
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, DocKind


@pytest.fixture
def receiver():
    with Receiver() as started:
        yield started


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` what the block queued for after its commit (the deliveries) runs at its end,
    as outside a test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def hook(url, events=(Event.DOSSIER_MOVED, Event.IKU_SENT)):
    return Webhook.objects.create(nama="Penerima Biro", url=url, events=list(events))


def test_a_moved_dossier_and_a_sent_iku_arrive_signed(people, walk, receiver, committed):
    registered = hook(receiver.url)
    with committed():
        dossier = walk(STEP_BY_NUMBER[3].state)
    moves = len(receiver.received)
    assert moves == 2 and {h["X-SOPIKU-Event"] for h, _ in receiver.received} == {Event.DOSSIER_MOVED}
    with committed():
        response = as_token(people, "dinkes").post(
            f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/", {"baris": [{"indikator": "Angka kematian ibu"}]},
            HTTP_IF_MATCH=str(dossier.revision))
    assert response.status_code == 200
    headers, body = receiver.received[-1]
    assert headers["X-SOPIKU-Event"] == Event.IKU_SENT
    assert signing.verify(registered.secret, body, headers["X-SOPIKU-Timestamp"], headers["X-SOPIKU-Signature"])
    assert not signing.verify("rahasia lain", body, headers["X-SOPIKU-Timestamp"], headers["X-SOPIKU-Signature"])
    # A body replayed later, or with its timestamp changed, is refused.
    later = int(headers["X-SOPIKU-Timestamp"]) + signing.TOLERANCE + 1
    assert not signing.verify(registered.secret, body, headers["X-SOPIKU-Timestamp"], headers["X-SOPIKU-Signature"],
                              now=later)
    assert not signing.verify(registered.secret, body, str(later), headers["X-SOPIKU-Signature"], now=later)
    sent = json.loads(body)
    assert sent["skpd"] == "Dinas Kesehatan" and sent["dosier"]["id"] == dossier.pk
    assert Delivery.objects.filter(status=Delivery.Status.DELIVERED).count() == 3


def test_a_hook_hears_only_its_events_and_a_refused_action_announces_nothing(people, walk, receiver, committed):
    hook(receiver.url, [Event.ROUND_CLOSED])
    with committed():
        dossier = walk(STEP_BY_NUMBER[9].state)
        with pytest.raises(PermissionDenied):
            services.perform(dossier, people["dinkes"], Action.BATALKAN, revision=dossier.revision, alasan="x")
    assert receiver.received == []
    with committed():
        walk_to(dossier, people, "selesai")
    (headers, body), = receiver.received
    assert headers["X-SOPIKU-Event"] == Event.ROUND_CLOSED and json.loads(body)["keputusan"]["nomor"]


def test_a_failed_delivery_is_kept_tried_again_later_and_resent_by_the_admin(people, walk, committed):
    with Receiver([503, 503, 200]) as receiver:
        registered = hook(receiver.url, [Event.DOSSIER_MOVED])
        dossier = walk(STEP_BY_NUMBER[1].state)
        prepare_step(dossier, people)
        dossier.refresh_from_db()
        before = timezone.now()
        with committed():
            services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
        failed = Delivery.objects.get(webhook=registered)
        assert failed.status == Delivery.Status.PENDING and failed.attempts == 1
        assert failed.next_attempt_at - before >= sending.FIRST_WAIT - dt.timedelta(seconds=1)
        assert list(sending.due()) == []
        later = failed.next_attempt_at + dt.timedelta(seconds=1)
        assert [d.pk for d in sending.due(later)] == [failed.pk]
        assert sending.attempt(failed.pk, now=later).next_attempt_at == later + sending.FIRST_WAIT * 4
        admin = client_for(people, "admin")
        with committed():
            admin.post("/admin/webhooks/delivery/", {"action": "kirim_ulang", "_selected_action": [failed.pk]})
        failed.refresh_from_db()
        assert failed.status == Delivery.Status.DELIVERED
        assert [c.status_code for c in failed.calls.order_by("pk")] == [503, 503, 200]
        page = admin.get(f"/admin/webhooks/delivery/{failed.pk}/change/").content.decode()
        assert "sedang sibuk" in page and "503" in page
        # Each try, the re-sent one too, is the same body signed afresh.
        assert len({body for _, body in receiver.received}) == 1
        assert all(signing.verify(registered.secret, body, h["X-SOPIKU-Timestamp"], h["X-SOPIKU-Signature"])
                   for h, body in receiver.received)


def test_gives_up_after_the_last_try_and_says_why(people, walk, committed):
    registered = hook("http://127.0.0.1:9/tidak-ada", [Event.DOSSIER_MOVED])
    dossier = walk(STEP_BY_NUMBER[1].state)
    prepare_step(dossier, people)
    dossier.refresh_from_db()
    with committed():
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    delivery = Delivery.objects.get(webhook=registered)
    for _ in range(sending.MAX_ATTEMPTS - 1):
        delivery = sending.attempt(delivery.pk, now=delivery.next_attempt_at)
    assert delivery.status == Delivery.Status.FAILED and delivery.next_attempt_at is None
    assert delivery.calls.count() == sending.MAX_ATTEMPTS and delivery.calls.first().error


def test_a_signed_document_is_announced_with_its_verification(people, walk, receiver, committed):
    hook(receiver.url, [Event.DOCUMENT_SIGNED])
    dossier = walk(STEP_BY_NUMBER[1].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    prepare_step(dossier, people)
    dossier.refresh_from_db()
    with committed():
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
    (_, body), = receiver.received
    signed = NaskahRecord.objects.get()
    assert json.loads(body)["naskah"] == [{
        "jenis": DocKind.UNDANGAN, "nomor": signed.nomor, "sha256": signed.final_sha256,
        "verifikasi": f"http://127.0.0.1:8000/verifikasi/{signed.final_token}/"}]


def test_the_task_worker_tries_a_failed_delivery_again_at_its_moment(people, walk, settings, committed):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tests.task_backends import DATABASE as QUEUE
    from tests.task_backends import work_queue

    settings.TASKS = QUEUE
    with Receiver([503, 200]) as receiver:
        registered = hook(receiver.url, [Event.DOSSIER_MOVED])
        dossier = walk(STEP_BY_NUMBER[1].state)
        prepare_step(dossier, people)
        dossier.refresh_from_db()
        with committed():
            services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=dossier.revision)
        work_queue()
        delivery = Delivery.objects.get(webhook=registered)
        assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1 and len(receiver.received) == 1
        # The worker queued the next try for the moment the backoff names, not sooner.
        (waiting,) = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver", status=TaskResultStatus.READY)
        assert waiting.run_after == delivery.next_attempt_at
        work_queue()
        assert len(receiver.received) == 1
        # Its moment has come: for the queued task and for the delivery, which a try claims only then.
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        work_queue()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert [c.status_code for c in delivery.calls.order_by("pk")] == [503, 200]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_senders_at_once_post_a_delivery_once_and_count_one_try():
    # The worker's task and `send_webhooks` (or two of them) meeting on one due delivery.
    import threading

    from django.db import connections

    with Receiver(delay=0.5) as slow:
        delivery = Delivery.objects.create(webhook=hook(slow.url), event=Event.DOSSIER_MOVED, body="{}")
        start, outcomes = threading.Barrier(2), []

        def send():
            start.wait()
            try:
                outcomes.append(sending.attempt(delivery.pk).status)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    delivery.refresh_from_db()
    assert len(slow.received) == 1 and delivery.attempts == 1 and delivery.calls.count() == 1
    assert delivery.status == Delivery.Status.DELIVERED and len(outcomes) == 2


def test_a_delivery_whose_task_was_lost_is_sent_by_send_webhooks_and_no_delivery_twice(db, settings, capsys):
    from django.core.management import call_command
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tests.task_backends import DATABASE as QUEUE
    from tests.task_backends import work_queue
    from webhooks.tasks import deliver

    settings.TASKS = QUEUE
    with Receiver() as receiver:
        registered = hook(receiver.url, [Event.DOSSIER_MOVED])
        made = timezone.now() - dt.timedelta(hours=1)  # made an hour ago, never tried
        lost, queued, running = (Delivery.objects.create(webhook=registered, event=Event.DOSSIER_MOVED, body="{}",
                                                         created_at=made) for _ in range(3))
        for delivery in (lost, queued, running):
            deliver.enqueue(delivery.pk)
        tasks = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver")
        tasks.filter(args_kwargs__args=[lost.pk]).delete()  # restored from an archive made before tasks travelled
        tasks.filter(args_kwargs__args=[running.pk]).update(status=TaskResultStatus.RUNNING)  # taken, not yet tried
        # Its transaction has just committed, its task not yet written.
        fresh = Delivery.objects.create(webhook=registered, event=Event.DOSSIER_MOVED, body="{}")
        call_command("send_webhooks")
        assert "1 terkirim, 0 belum." in capsys.readouterr().out
        assert [h["X-SOPIKU-Delivery"] for h, _ in receiver.received] == [str(lost.pk)]
        call_command("send_webhooks")  # its timer again
        work_queue()  # the worker sends the one still queued, and only that one
        assert sorted(int(h["X-SOPIKU-Delivery"]) for h, _ in receiver.received) == [lost.pk, queued.pk]
    status = dict(Delivery.objects.values_list("pk", "status"))
    assert status[lost.pk] == status[queued.pk] == Delivery.Status.DELIVERED
    assert status[running.pk] == status[fresh.pk] == Delivery.Status.PENDING
