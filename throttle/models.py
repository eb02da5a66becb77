"""Counters and leases kept in the database, so every gunicorn worker and every server that shares
it sees the same numbers; the process cache (CACHES) is per worker and would let each worker admit
its own quota."""

from django.db import models


class Hits(models.Model):
    """Requests of one kind (`scope`) from one `key` (an address) in the fixed window starting at
    `window` (seconds since the epoch)."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "hitungan permintaan"
        verbose_name_plural = "hitungan permintaan"
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window"], name="throttle_hits_one_per_window")]
        # Pruning old windows reads by scope and window alone.
        indexes = [models.Index(fields=["scope", "window"], name="throttle_hits_scope_window")]


class Lease(models.Model):
    """One of the few places for heavy work of one kind ("verifikasi:0"): taken while `until` is
    ahead, free once it has passed, so a worker killed mid-request frees its place by itself."""

    key = models.CharField(max_length=60, primary_key=True)
    holder = models.CharField(max_length=32, blank=True, default="")
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tempat kerja berat"
        verbose_name_plural = "tempat kerja berat"
