"""A delivery's signature: HMAC-SHA256, under the hook's secret, of the timestamp, a dot and the
body, sent as `X-SOPIKU-Signature: sha256=<hex>` beside `X-SOPIKU-Timestamp` (Unix seconds). The
timestamp is inside what is signed, so a receiver that refuses old timestamps refuses a replay."""

import hashlib
import hmac
import time

TOLERANCE = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def headers(secret: str, event: str, delivery_id: int, body: bytes, now: float | None = None) -> dict:
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "SOP-IKU-webhook/1",
        "X-SOPIKU-Event": event,
        "X-SOPIKU-Delivery": str(delivery_id),
        "X-SOPIKU-Timestamp": str(timestamp),
        "X-SOPIKU-Signature": signature(secret, timestamp, body),
    }


def verify(secret: str, body: bytes, timestamp: str, signed: str, now: float | None = None) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - moment) > TOLERANCE:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signed or "")
