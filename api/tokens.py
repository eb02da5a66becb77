"""Making, finding and revoking API tokens. A token reads `sopiku_<prefix>_<secret>`: the prefix
finds the row, the SHA-256 of the whole token proves it (the secret has 256 bits, so a plain hash
is enough: there is nothing to guess that a slow hash would protect)."""

import datetime as dt
import hashlib
import hmac
import secrets
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone

from api.models import ApiToken
from lib import written_sql as sql
from workflow.auth import user_from_row, user_sql

SCHEME = "sopiku"
# How long a token may be made for; the forms offer these, in days.
LIFETIMES = (30, 90, 180, 365)
# last_used_at is written at most this often per token: not one write per request.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user, nama: str, akses: str, days: int, now=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is never kept."""
    now = now or timezone.now()
    prefix = secrets.token_hex(6)
    token = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(user=user, nama=nama.strip(), akses=akses, prefix=prefix, digest=digest(token),
                                  created_at=now, expires_at=now + dt.timedelta(days=days))
    return row, token


@cache
def _find_sql(alias: str) -> str:
    """The usable token with a prefix and its user as every request reads one (workflow.auth), in
    one statement written once per database: composed by the ORM, finding the token cost 0.85 ms
    of Python an API request, and its user's roles were a query of their own later."""
    connection = connections[alias]
    user_model = get_user_model()

    def column(name):
        return sql.column(connection, ApiToken, name)

    columns, tables = user_sql(alias)
    return (f"SELECT {sql.columns(connection, ApiToken, 't')}, {columns}"
            f" FROM {tables} INNER JOIN {sql.table(connection, ApiToken)} t"
            f" ON t.{column('user')} = u.{sql.column(connection, user_model, 'id')}"
            f" WHERE t.{column('prefix')} = %s AND t.{column('revoked_at')} IS NULL AND t.{column('expires_at')} > %s"
            f" AND u.{sql.column(connection, user_model, 'is_active')}")


def find(token: str, now=None) -> ApiToken | None:
    """The usable token `token` is (not revoked, not expired, its user active), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or not parts[1] or len(token) > 200:
        return None
    now = now or timezone.now()
    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    today = timezone.localdate(now)
    day = connection.ops.adapt_datefield_value(today)
    with connection.cursor() as cursor:
        cursor.execute(_find_sql(alias), [day, day, parts[1], connection.ops.adapt_datetimefield_value(now)])
        found = cursor.fetchone()
    if found is None:
        return None
    fields = ApiToken._meta.concrete_fields
    row = ApiToken.from_db(alias, [f.attname for f in fields], sql.converted(connection, fields, found[:len(fields)]))
    if not hmac.compare_digest(row.digest, digest(token)):
        return None
    row.user = user_from_row(alias, found[len(fields):], today)
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def revoke(row: ApiToken, now=None) -> None:
    if row.revoked_at is None:
        row.revoked_at = now or timezone.now()
        row.save(update_fields=["revoked_at"])


def revoke_all_of(user, now=None) -> int:
    """Revokes every token of `user` still standing; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now or timezone.now())


def revoke_on_lost_trust(sender, instance, created, **kwargs):
    """A new password or a switched-off account ends the owner's tokens, as it ends their other
    sessions: a token made by whoever had the old password would otherwise go on acting for the
    owner, and an account switched back on would find its old programs working again.
    `_password` is what `set_password` leaves for this save (Django clears it after), so a login
    that only rehashes the same password revokes nothing."""
    if created:
        return
    # Moved to another agency: a program given a token for the old one's table must not go on
    # writing, now as the new agency's (tanda_tabel guards only a program that sends it back).
    if getattr(instance, "_password", None) is not None or not instance.is_active or instance.moves_agency():
        revoke_all_of(instance)
