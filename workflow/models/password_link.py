"""The e-mails with a link to set one's password, one row each: recorded with the request (the
admin's, or the person's own on the sign-in page), mailed off the request path and, when the mail
server failed, again by `send_reminders`. The link itself is made when the mail goes and never
stored: whoever reads this table (or a backup of it) cannot set anyone's password with it."""

from django.conf import settings
from django.db import models


class PasswordLink(models.Model):
    class Kind(models.TextChoices):
        # Sent by the admin (a new account's first password, or for someone who asked the admin).
        ADMIN = "awal", "dikirim admin"
        # Asked for by the person on the sign-in page ("Lupa kata sandi?").
        FORGOTTEN = "lupa", "lupa kata sandi"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_links",
                             verbose_name="pengguna")
    kind = models.CharField("jenis", max_length=4, choices=Kind.choices)
    # The admin who sent it; empty when the person asked for it.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="dikirim oleh")
    # The address as it was asked for: a link is not mailed to an address changed since.
    email = models.EmailField("e-mail", max_length=254)
    created_at = models.DateTimeField("diminta")
    emailed_at = models.DateTimeField("dikirim lewat surel", null=True, blank=True)

    class Meta:
        verbose_name = "tautan atur kata sandi"
        verbose_name_plural = "tautan atur kata sandi"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["emailed_at", "created_at"], name="tautan_sandi_tertunda")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.email}"
