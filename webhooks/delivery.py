"""Sending one delivery: a signed POST, its answer kept as a Call; a failure is tried again later,
each wait four times the last (30 s, 2 min, 8 min, 32 min, about 2 h), until MAX_ATTEMPTS."""

import datetime as dt
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from webhooks import signing
from webhooks.models import Call, Delivery

MAX_ATTEMPTS = 6
FIRST_WAIT = dt.timedelta(seconds=30)
TIMEOUT = 10
KEPT = 2000


def wait_after(attempts: int) -> dt.timedelta:
    return FIRST_WAIT * 4 ** (attempts - 1)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """(status, the answer's beginning, error) of one POST; never raises."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - the admin's http(s) URL
            return answer.status, answer.read(KEPT).decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(KEPT).decode("utf-8", "replace"), ""
    except (urllib.error.URLError, OSError, ValueError) as failed:
        return None, "", str(getattr(failed, "reason", failed))[:500]


def attempt(delivery_id: int, now=None) -> Delivery:
    """Try `delivery` once (unless already delivered); returns it with its new status."""
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.status == Delivery.Status.DELIVERED:
        return delivery
    hook, body = delivery.webhook, delivery.body.encode()
    headers = signing.headers(hook.secret, delivery.event, delivery.pk, body)
    started = time.monotonic()
    status, answer, error = post(hook.url, body, headers)
    now = now or timezone.now()
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
    """Deliveries waiting for a try whose moment has come (a worker restarted lost none of them)."""
    return Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now or timezone.now())
