"""Sending one delivery: a signed POST, its answer kept as a Call; a failure is tried again later,
each wait four times the last (30 s, 2 min, 8 min, 32 min, about 2 h), until MAX_ATTEMPTS."""

import datetime as dt
import errno
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks import signing
from webhooks.models import Call, Delivery, wire_url

MAX_ATTEMPTS = 6
FIRST_WAIT = dt.timedelta(seconds=30)
TIMEOUT = 10
# How long a try holds its delivery: past any post's timeout.
CLAIM = dt.timedelta(seconds=6 * TIMEOUT)
# A new delivery is queued for the worker the moment its transaction commits. One never tried this
# long after it was made, with no task of the queue waiting or running for it, lost that task (an
# archive restored from before the queue travelled in backups, a task row deleted): `due` takes it up.
LOST_AFTER = dt.timedelta(minutes=10)
KEPT = 2000


def wait_after(attempts: int) -> dt.timedelta:
    return FIRST_WAIT * 4 ** (attempts - 1)


# Why a call failed, as the admin reads it under Pengiriman webhook.
REFUSED = "Koneksi ditolak: tidak ada layanan yang menerima di alamat dan port itu."
NO_ANSWER = f"Penerima tidak menjawab dalam {TIMEOUT} detik."
NOT_FOUND = "Nama host penerima tidak ditemukan (periksa alamatnya, atau DNS server aplikasi)."
UNREACHABLE = "Jaringan ke penerima tidak dapat dicapai dari server aplikasi."
RESET = "Koneksi diputus oleh penerima."
CLOSED = "Penerima menutup koneksi tanpa menjawab."
CERTIFICATE = "Sertifikat HTTPS penerima tidak sah atau tidak tepercaya (periksa sertifikat dan nama host-nya)."
TLS = "Jabat tangan HTTPS dengan penerima gagal (apakah penerima memang melayani https?)."
NOT_HTTP = "Jawaban penerima bukan jawaban HTTP yang sah."
BAD_URL = "URL penerima tidak dapat dipakai; perbaiki di Admin › Webhook."

# Calls kept before the reasons were worded: their Python text, read the same way.
STORED = (
    ("connection refused", REFUSED), ("timed out", NO_ANSWER), ("name or service not known", NOT_FOUND),
    ("temporary failure in name resolution", NOT_FOUND), ("nodename nor servname", NOT_FOUND),
    ("no address associated", NOT_FOUND), ("no route to host", UNREACHABLE), ("network is unreachable", UNREACHABLE),
    ("certificate verify failed", CERTIFICATE), ("ssl", TLS), ("connection reset", RESET),
    ("remote end closed", CLOSED), ("ordinal not in range", BAD_URL), ("codec can't encode", BAD_URL),
    ("nonnumeric port", BAD_URL), ("port out of range", BAD_URL), ("unknown url type", BAD_URL),
    ("invalid url", BAD_URL), ("no host given", BAD_URL),
)


def failure_text(failed: BaseException) -> str:
    """A failed call's reason in Indonesian, from what went wrong rather than Python's words."""
    reason = failed.reason if isinstance(failed, urllib.error.URLError) else failed
    if isinstance(reason, str):
        return explain(reason)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return CERTIFICATE
    if isinstance(reason, ssl.SSLError):
        return TLS
    if isinstance(reason, http.client.RemoteDisconnected):
        return CLOSED
    if isinstance(reason, ConnectionRefusedError):
        return REFUSED
    if isinstance(reason, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return RESET
    if isinstance(reason, TimeoutError):
        return NO_ANSWER
    if isinstance(reason, socket.gaierror):
        return NOT_FOUND
    if isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return UNREACHABLE
    if isinstance(reason, http.client.HTTPException):
        return NOT_HTTP
    if isinstance(reason, ValueError):
        return BAD_URL
    code = getattr(reason, "errno", None)
    return "Pengiriman gagal karena kesalahan jaringan" + (f" (kode galat {code})." if code else ".")


def explain(stored: str) -> str:
    """A kept call's error as the admin reads it: Python's text of an older call in Indonesian."""
    lowered = stored.lower()
    return next((meaning for needle, meaning in STORED if needle in lowered), stored)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status, the answer's beginning, error) of one POST; never raises."""
    try:
        request = urllib.request.Request(wire_url(url), data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - the admin's http(s) URL
            return answer.status, answer.read(KEPT).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(KEPT).decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as failed:
        return None, "", failure_text(failed)[:500]


def attempt(delivery_id: int, now=None) -> Delivery:
    """Try `delivery` once if it is waiting and its moment has come; returns it with its status.
    The try is claimed first (its next moment moved past the time a post may take), so two senders
    at once (the worker's task and `send_webhooks`, or two of them) never post it twice, and each
    try is counted once; a sender killed mid-post leaves it due again when the claim runs out."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), pk=delivery_id, status=Delivery.Status.PENDING,
    ).update(next_attempt_at=now + CLAIM)
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    if not claimed:
        return delivery
    hook, body = delivery.webhook, delivery.body.encode()
    headers = signing.headers(hook.secret, delivery.event, delivery.pk, body)
    started = time.monotonic()
    status, answer, error = post(hook.url, body, headers)
    with transaction.atomic():
        Call.objects.create(delivery=delivery, at=now, url=hook.url, request_headers=headers, status_code=status,
                            response_body=answer, error=error,
                            duration_ms=int((time.monotonic() - started) * 1000))
        delivery.attempts += 1
        if status is not None and 200 <= status < 300:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = Delivery.Status.DELIVERED, now, None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        else:
            delivery.status, delivery.next_attempt_at = Delivery.Status.PENDING, now + wait_after(delivery.attempts)
        delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivery


def resend(delivery: Delivery) -> None:
    """The admin's "send again": queued now, with a fresh count of tries."""
    from webhooks.tasks import deliver

    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.PENDING, attempts=0,
                                                   next_attempt_at=timezone.now())
    transaction.on_commit(lambda: deliver.enqueue(delivery.pk))


def due(now=None):
    """Deliveries waiting for a try whose moment has come (a worker restarted lost none of them), and
    those never tried whose task was lost. One whose task still waits or runs is left to that task:
    the two would meet only at the claim, which a receiver slower than the claim outlasts."""
    now = now or timezone.now()
    lost = Q(next_attempt_at__isnull=True, created_at__lte=now - LOST_AFTER) & ~Q(pk__in=_queued())
    return Delivery.objects.filter(Q(next_attempt_at__lte=now) | lost, status=Delivery.Status.PENDING)


def _queued() -> list[int]:
    """The deliveries a task of the queue is waiting or running for."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path="webhooks.tasks.deliver",
                                        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    return [call["args"][0] for call in tasks.values_list("args_kwargs", flat=True)]
