"""The audit log as a hash chain: each event carries the SHA-256 of its own content and of the
event before it, so changing, removing or inserting an event anywhere (with raw SQL, a restored
backup, a database console) shows as the first event whose hash no longer matches.
"""

import datetime as dt
import hashlib
import json

GENESIS = "0" * 64
FIELDS = ("dossier_id", "actor_id", "actor_label", "role", "on_behalf_of_id", "delegation_kind", "action",
          "from_state", "to_state", "note")


def content(event) -> str:
    """The event as canonical text: the same bytes whatever the database returned it as, and after
    a backup's JSON (which keeps times to the millisecond) is restored."""
    at = event.at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
    body = {name: getattr(event, name) for name in FIELDS} | {"at": at, "data": event.data or {}}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(event, prev_hash: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + content(event)).encode()).hexdigest()


def first_break(events) -> tuple[object, str] | None:
    """(event, why) for the first event, in the log's order, that breaks the chain; None if whole.
    `events` must come in primary-key order."""
    prev = GENESIS
    for event in events:
        if event.prev_hash != prev:
            return event, "tidak menyambung ke catatan sebelumnya (ada yang dihapus atau disisipkan)"
        if event.hash != event_hash(event, prev):
            return event, "isinya berubah setelah dicatat"
        prev = event.hash
    return None
