"""API tokens: one per program a user lets act for them, stored only as a hash.

The token is shown once when made (`api.tokens.issue`); the database keeps its prefix, to find it,
and the SHA-256 of the whole token, to check it. A token has an expiry, a last-used moment, and
reads only or reads and writes; revoking keeps the row, so the audit log's token names stay
explained."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Access(models.TextChoices):
    READ = "baca", "Hanya membaca"
    WRITE = "tulis", "Membaca dan menulis"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="pengguna")
    nama = models.CharField("nama", max_length=100, help_text="Program yang memakainya, mis. “e-SAKIP Dinkes”.")
    prefix = models.CharField("awalan", max_length=16, unique=True, editable=False)
    digest = models.CharField("SHA-256", max_length=64, editable=False)
    akses = models.CharField("akses", max_length=5, choices=Access.choices, default=Access.READ)
    created_at = models.DateTimeField("dibuat", default=timezone.now, editable=False)
    expires_at = models.DateTimeField("berlaku sampai")
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token API"
        verbose_name_plural = "token API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"

    @property
    def writes(self) -> bool:
        return self.akses == Access.WRITE

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "dicabut"
        if self.expires_at <= timezone.now():
            return "kedaluwarsa"
        return "aktif"
