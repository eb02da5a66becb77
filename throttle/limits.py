"""Per-address quotas and a cap on heavy work running at once, both in the database (throttle.models).

Every statement here commits on its own (the app does not wrap requests in a transaction), so a
worker on another server sees a count or a lease the moment it is taken.
"""

import datetime as dt
import ipaddress
import math
import secrets
import time
from contextlib import contextmanager
from functools import cache

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from lib import written_sql as sql
from throttle.models import Hits, Lease


def address_key(address: str | None) -> str:
    """The unit a quota is counted per: the IPv4 address, or the /64 an IPv6 client gets whole
    (a single host can use any of its 2^64 addresses); "-" when the address is unknown."""
    if not address:
        return "-"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@cache
def _hits_sql(alias: str) -> tuple[str, str]:
    """The two statements every counted request runs (every API request, every verification upload),
    written once per database: composed by the ORM they cost 0.7 ms of Python a request."""
    connection = connections[alias]
    table = sql.table(connection, Hits)
    scope, key, window, count = (sql.column(connection, Hits, name) for name in ("scope", "key", "window", "count"))
    read = f"SELECT {window}, {count} FROM {table} WHERE {scope} = %s AND {key} = %s AND {window} IN (%s, %s)"
    # Conditional, so two requests racing for the last admission cannot both get it.
    take = (f"UPDATE {table} SET {count} = {count} + 1"
            f" WHERE {scope} = %s AND {key} = %s AND {window} = %s AND {count} < %s")
    return read, take


def _counts(scope: str, key: str, window: int, period: int) -> dict[int, int]:
    """{window start: requests admitted} for `window` and the one before it."""
    alias = router.db_for_write(Hits)
    read, _ = _hits_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(read, [scope, key, window - period, window])
        return dict(cursor.fetchall())


def admit(scope: str, key: str, limit: int, period: int, now: float | None = None) -> bool:
    """Count one request of `scope` from `key` if fewer than `limit` were admitted in the last
    `period` seconds, and say whether it was. The last period is estimated from two fixed windows
    (the previous one weighted by how much of it is still inside the period), so a client cannot
    double its quota across a window's edge. Refused requests are not counted: a client that
    waits gets its quota back on time however often it was refused, and a refusal costs one read."""
    now = time.time() if now is None else now
    window = int(now // period * period)
    counts = _counts(scope, key, window, period)
    alias = router.db_for_write(Hits)
    _, take = _hits_sql(alias)
    still_inside = 1 - (now - window) / period
    allowed = limit - math.floor(counts.get(window - period, 0) * still_inside)
    if counts.get(window, 0) >= allowed:
        return False
    if window not in counts:
        Hits.objects.bulk_create([Hits(scope=scope, key=key, window=window, count=0)], ignore_conflicts=True)
        # Once per key and window: windows before the previous one count for nothing now.
        Hits.objects.filter(scope=scope, window__lt=window - period).delete()
    with connections[alias].cursor() as cursor:
        cursor.execute(take, [scope, key, window, allowed])
        return cursor.rowcount > 0


def retry_after(scope: str, key: str, limit: int, period: int, now: float | None = None) -> int:
    """Whole seconds until `admit` would take one more request from `key`: while the previous
    window's requests still weigh, within the current window; else just after it. A flat period
    told a client whose burst began a window to come back when most of its quota still weighed."""
    now = time.time() if now is None else now
    window = int(now // period * period)
    counts = _counts(scope, key, window, period)
    previous, current = counts.get(window - period, 0), counts.get(window, 0)
    room = limit - current  # what the previous window's weight must fall under
    if room > 0 and previous > 0:
        # admitted once floor(previous * (1 - (t - window) / period)) < room, i.e. previous * (1 - x) < room
        at = window + period * (1 - room / previous)
        if at < window + period:
            return max(1, math.ceil(at - now + 1e-9))
    return max(1, math.ceil(window + period - now + 1e-9))


@contextmanager
def place(scope: str, places: int, lease: dt.timedelta):
    """Hold one of `places` places for `scope` while the block runs; yields False (and holds
    nothing) when all are taken. A place is leased for `lease` at most: if the process dies in the
    block, the place frees itself then."""
    holder = secrets.token_hex(8)
    keys = [f"{scope}:{number}" for number in range(max(places, 0))]
    now = timezone.now()
    known = dict(Lease.objects.filter(key__in=keys).values_list("key", "until"))
    missing = [key for key in keys if key not in known]
    if missing:
        Lease.objects.bulk_create([Lease(key=key) for key in missing], ignore_conflicts=True)
    taken = None
    for key in keys:
        if key in known and known[key] is not None and known[key] >= now:
            continue
        # Conditional, so two workers seeing the same free place cannot both take it.
        free = Lease.objects.filter(Q(until__isnull=True) | Q(until__lt=now), key=key)
        if free.update(holder=holder, until=now + lease):
            taken = key
            break
    try:
        yield taken is not None
    finally:
        if taken is not None:
            Lease.objects.filter(key=taken, holder=holder).update(holder="", until=None)
