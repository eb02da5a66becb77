"""Webhooks: the admin registers a receiver's URL and the events it wants; each event becomes a
Delivery per hook, sent by the task worker, signed, retried with backoff, and every try kept (the
outbound call log: request, answer, time) for the admin to read and send again from."""

import ipaddress
import secrets
from urllib.parse import quote, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from lib.dates import long_date


class Event(models.TextChoices):
    DOSSIER_MOVED = "dosier.berpindah", "Dosier berpindah posisi"
    IKU_SENT = "iku.dikirim", "SKPD mengirim IKU"
    DOCUMENT_SIGNED = "naskah.ditandatangani", "Naskah ditandatangani"
    ROUND_CLOSED = "putaran.ditutup", "Putaran ditutup (penetapan Gubernur dicatat)"


def new_secret() -> str:
    return secrets.token_hex(32)


# What a path or query may keep as typed: RFC 3986's reserved characters and "%" of an escape
# already made; everything else (ä, a space) is percent-encoded.
PATH_SAFE = "/:@!$&'()*+,;=%"
QUERY_SAFE = PATH_SAFE + "?"
PORT_RANGE = "Port URL penerima harus bilangan 1 sampai 65535."


def ascii_host(host: str) -> str:
    """The host as DNS and the Host header take it: a name in IDNA (punycode), an IP address as it
    is. UnicodeError for a name IDNA cannot write (an empty or over-long label)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host.encode("idna").decode("ascii")
    return host


def receiver_url_problem(url: str) -> str:
    """Why no delivery could ever be sent to `url`, in the admin's words, or ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "URL penerima tidak sah: periksa penulisan host-nya (alamat IPv6 ditulis di dalam [ ])."
    if parts.scheme.lower() not in ("http", "https"):
        return "URL penerima harus diawali http:// atau https://."
    try:
        port = parts.port
    except ValueError:
        return PORT_RANGE
    if port == 0:
        return PORT_RANGE
    if parts.username is not None or parts.password is not None:
        return ("URL penerima tidak boleh memuat nama pengguna atau sandi: penerima memastikan pengirimnya dari "
                "tanda tangan setiap kiriman.")
    if not parts.hostname:
        return "URL penerima harus memuat nama host, misalnya https://penerima.kalbarprov.go.id/webhook."
    try:
        ascii_host(parts.hostname)
    except UnicodeError:
        return (f"Nama host “{parts.hostname}” tidak dapat dipakai sebagai nama domain: setiap bagian di antara "
                "titik harus berisi 1 sampai 63 karakter.")
    return ""


def wire_url(url: str) -> str:
    """`url` as a request is made to it: http.client sends ASCII only, so the host goes in IDNA and
    the path and query percent-encoded (the hook keeps the URL as the admin typed it)."""
    parts = urlsplit(url)
    host = ascii_host(parts.hostname or "")
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit((parts.scheme.lower(), netloc, quote(parts.path, safe=PATH_SAFE),
                       quote(parts.query, safe=QUERY_SAFE), ""))


class Webhook(models.Model):
    nama = models.CharField(max_length=100)
    url = models.URLField("URL penerima", max_length=500)
    events = models.JSONField("peristiwa", default=list)
    # Shared with the receiver, which checks each body's signature with it (README, "Webhooks").
    secret = models.CharField("rahasia penanda tangan", max_length=64, default=new_secret)
    aktif = models.BooleanField(default=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "webhook"
        verbose_name_plural = "webhook"
        ordering = ["nama", "pk"]

    def __str__(self) -> str:
        return self.nama

    def clean(self):
        if self.url and (problem := receiver_url_problem(self.url)):
            raise ValidationError({"url": problem})


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "menunggu", "Menunggu dikirim"
        DELIVERED = "terkirim", "Terkirim"
        FAILED = "gagal", "Gagal (tidak dicoba lagi)"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("peristiwa", max_length=40, choices=Event.choices)
    # The exact bytes signed and sent, so a re-send is the same body (with a new timestamp).
    body = models.TextField("isi", max_length=100_000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("percobaan", default=0)
    next_attempt_at = models.DateTimeField("percobaan berikut", null=True, blank=True)
    created_at = models.DateTimeField("dibuat", default=timezone.now)
    delivered_at = models.DateTimeField("terkirim", null=True, blank=True)

    class Meta:
        verbose_name = "pengiriman webhook"
        verbose_name_plural = "pengiriman webhook"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_menunggu")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.webhook}"


class Call(models.Model):
    """One outbound request and its answer: a webhook's try (or an export pushed somewhere)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="calls", null=True, blank=True)
    at = models.DateTimeField("waktu", default=timezone.now)
    url = models.CharField(max_length=500)
    request_headers = models.JSONField("header permintaan", default=dict)
    status_code = models.PositiveSmallIntegerField("kode jawaban", null=True, blank=True)
    response_body = models.TextField("jawaban (awal)", blank=True, max_length=2000)
    error = models.CharField("kesalahan", max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField("lama (ms)", default=0)

    class Meta:
        verbose_name = "panggilan keluar"
        verbose_name_plural = "panggilan keluar"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        at = timezone.localtime(self.at)
        return f"Panggilan {long_date(at.date())} {at:%H.%M.%S}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
