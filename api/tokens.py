"""Making, finding and revoking API tokens. A token reads `sopiku_<prefix>_<secret>`: the prefix
finds the row, the SHA-256 of the whole token proves it (the secret has 256 bits, so a plain hash
is enough: there is nothing to guess that a slow hash would protect)."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.utils import timezone

from api.models import ApiToken

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


def find(token: str, now=None) -> ApiToken | None:
    """The usable token `token` is (not revoked, not expired, its user active), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != SCHEME or not parts[1] or len(token) > 200:
        return None
    now = now or timezone.now()
    row = ApiToken.objects.usable(now).select_related("user").filter(prefix=parts[1]).first()
    if row is None or not hmac.compare_digest(row.digest, digest(token)):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def revoke(row: ApiToken, now=None) -> None:
    if row.revoked_at is None:
        row.revoked_at = now or timezone.now()
        row.save(update_fields=["revoked_at"])
