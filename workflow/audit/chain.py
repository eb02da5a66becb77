"""The audit log as a keyed chain: each event carries an HMAC-SHA256 of its own content and of the
event before it, under a key the database never holds (`SOP_AUDIT_KEY`, else one derived from the
secret key). Changing, removing or inserting an event anywhere (raw SQL, a restored backup, a
database console, the app's own database role) shows as the first event whose seal no longer
matches, and nobody without the key can compute a seal that does.

What a seal cannot show is a chain cut short at its end, or thrown away and made again by someone
holding the key: checkpoints do. `manage.py verify_audit --checkpoint` appends the chain's length
and last seal to a file outside the database (`SOP_AUDIT_CHECKPOINTS`), each line sealed and chained
to the line before; every later check holds the log against each checkpoint.
"""

import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
from pathlib import Path

from django.conf import settings
from django.utils import timezone

GENESIS = "0" * 64
FIELDS = ("dossier_id", "actor_id", "actor_label", "role", "on_behalf_of_id", "delegation_kind", "action",
          "from_state", "to_state", "note")


def key() -> bytes:
    configured = getattr(settings, "SOP_AUDIT_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"sop-iku audit chain\n" + settings.SECRET_KEY.encode()).digest()


def _seal(text: str) -> str:
    return hmac.new(key(), text.encode(), hashlib.sha256).hexdigest()


def content(event) -> str:
    """The event as canonical text: the same bytes whatever the database returned it as, and after
    a backup's JSON (which keeps times to the millisecond) is restored."""
    at = event.at.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")
    body = {name: getattr(event, name) for name in FIELDS} | {"at": at, "data": event.data or {}}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(event, prev_hash: str) -> str:
    return _seal(prev_hash + "\n" + content(event))


def first_break(events) -> tuple[object, str] | None:
    """(event, why) for the first event, in the log's order, that breaks the chain; None if whole.
    `events` must come in primary-key order."""
    prev = GENESIS
    for event in events:
        if event.prev_hash != prev:
            return event, "tidak menyambung ke catatan sebelumnya (ada yang dihapus atau disisipkan)"
        if not hmac.compare_digest(event.hash, event_hash(event, prev)):
            return event, "segelnya tidak cocok: isinya berubah, atau dicatat di luar aplikasi"
        prev = event.hash
    return None


def sealed_under_another_key(events, sample: int = 5) -> bool:
    """Whether the first `sample` events (primary-key order) all fail their seals although each
    links to the one before: what a log restored under another key looks like, not one event
    changed (which breaks one seal, and the link of the next)."""
    seen = 0
    for event in events[:sample]:
        if hmac.compare_digest(event.hash, event_hash(event, event.prev_hash)):
            return False
        seen += 1
    return seen > 1


def reseal() -> int:
    """The whole log sealed again, in its order, under this install's key, for a log restored from an
    archive whose key is lost for good (`restore --kunci-lain`); returns how many events. Left under the lost key,
    `verify_audit` failed at its first event for ever, so every event written after the restore went
    unchecked too, and a change to one of them would never have shown. What the log held before the
    restore can no longer be proven; from here on it is checked as any log is."""
    from django.db import connection
    from django.db.models import QuerySet

    from workflow.models import AuditChainHead, AuditEvent

    guarded = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if guarded:
            # The trigger that refuses any change to the log (restore runs as the tables' owner); the
            # rows just loaded have their foreign keys checked first, which ALTER TABLE will not wait for.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE workflow_auditevent DISABLE TRIGGER workflow_auditevent_no_change")
        prev, last, count = GENESIS, None, 0
        # Past the log's own manager, which refuses any update (AuditImmutable), as a migration does.
        events = QuerySet(model=AuditEvent)
        for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
            sealed = event_hash(event, prev)
            events.filter(pk=event.pk).update(prev_hash=prev, hash=sealed)
            prev, last, count = sealed, event.pk, count + 1
        if guarded:
            cursor.execute("ALTER TABLE workflow_auditevent ENABLE TRIGGER workflow_auditevent_no_change")
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "last_event": last})
    return count


def checkpoint_path() -> Path:
    return Path(settings.SOP_AUDIT_CHECKPOINTS)


def _line_body(point: dict) -> str:
    return json.dumps({k: point[k] for k in ("at", "last_event", "last_hash", "count", "prev")},
                      sort_keys=True, separators=(",", ":"))


def read_checkpoints() -> tuple[list[dict], str | None]:
    """The checkpoints in the file, and why the file itself cannot be trusted (None if it can)."""
    path = checkpoint_path()
    if not path.exists():
        return [], None
    with path.open() as file:
        # Not while a line is being appended (append_checkpoint), or half of it would read as broken.
        fcntl.flock(file, fcntl.LOCK_SH)
        return _parsed(file.read())


def _parsed(text: str) -> tuple[list[dict], str | None]:
    points, prev = [], GENESIS
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line)
            body = _line_body(point)
        except (ValueError, KeyError, TypeError):
            return points, f"baris {number} berkas titik periksa tidak terbaca"
        if point["prev"] != prev or not hmac.compare_digest(str(point.get("seal", "")), _seal(body)):
            return points, f"baris {number} berkas titik periksa diubah, dihapus atau disisipkan"
        points.append(point)
        prev = point["seal"]
    return points, None


def checkpoint_break(events) -> str | None:
    """Why the log no longer holds what a checkpoint recorded (cut short, or made again), or None.
    `events` is the AuditEvent queryset."""
    points, untrusted = read_checkpoints()
    if untrusted:
        return untrusted
    for point in points:
        last = events.filter(pk=point["last_event"]).values_list("hash", flat=True).first()
        at = point["at"]
        if last is None:
            return f"catatan #{point['last_event']} yang tercatat pada titik periksa {at} sudah tidak ada (riwayat dipotong)"
        if last != point["last_hash"] or events.filter(pk__lte=point["last_event"]).count() != point["count"]:
            return f"riwayat sampai catatan #{point['last_event']} tidak sama dengan titik periksa {at} (riwayat dibangun ulang)"
    return None


def write_checkpoint(events) -> dict | None:
    """Append the log's present length and last seal to the checkpoint file; None for an empty log."""
    last = events.order_by("-pk").values("pk", "hash").first()
    if last is None:
        return None
    return append_checkpoint(last["pk"], last["hash"], events.filter(pk__lte=last["pk"]).count())


def append_checkpoint(last_event: int, last_hash: str, count: int) -> dict:
    """The checkpoint line, sealed to the file's last one and appended, the file locked from the
    reading of that line to the writing of this one: two runs at once (a timer and an operator's
    check) would otherwise seal to the same line, and the file would then read as tampered with."""
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        file.seek(0)
        points, _ = _parsed(file.read())
        point = {
            "at": timezone.now().isoformat(timespec="seconds"),
            "last_event": last_event,
            "last_hash": last_hash,
            "count": count,
            "prev": points[-1]["seal"] if points else GENESIS,
        }
        point["seal"] = _seal(_line_body(point))
        file.write(json.dumps(point, sort_keys=True) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return point
