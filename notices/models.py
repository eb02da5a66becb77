"""Notices: one per person per hand-off (the audit event that moved the dossier), so a retried send
never tells anyone twice; news that belongs to no dossier (a delegation starting or ending) is one
per person per `key` instead; and what each person wants to be told."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Notice(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    # The hand-off: the audit event of the move that put work in the recipient's hands. Empty for
    # news of no dossier, which `key` names instead.
    event = models.ForeignKey("workflow.AuditEvent", on_delete=models.CASCADE, related_name="notices",
                              null=True, blank=True)
    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="notices",
                                null=True, blank=True)
    # What a notice without an event is about ("pelimpahan:12:mulai"): kept as text, not a key to
    # the delegation, so the notice that a deleted delegation was called off still says which it was
    # and a second run of the daily check finds it told.
    key = models.CharField("perihal", max_length=100, blank=True, default="")
    judul = models.CharField(max_length=300)
    isi = models.TextField(max_length=2000)
    created_at = models.DateTimeField("dibuat")
    read_at = models.DateTimeField("dibaca", null=True, blank=True)
    # Set once the e-mail went out; a retry mails only those still unset.
    emailed_at = models.DateTimeField("dikirim lewat surel", null=True, blank=True)

    class Meta:
        verbose_name = "pemberitahuan"
        verbose_name_plural = "pemberitahuan"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event"], name="satu_pemberitahuan_per_serah"),
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="satu_pemberitahuan_per_perihal"),
        ]
        # The list reads a person's newest first; the badge counts their unread.
        indexes = [models.Index(fields=["recipient", "read_at"]),
                   models.Index(fields=["recipient", "-created_at", "-id"], name="pemberitahuan_terbaru")]

    def __str__(self) -> str:
        return self.judul

    @property
    def path(self) -> str:
        """Where the notice leads: its dossier; the inbox for a role given, an agency officer moved or
        an agency deactivated or reactivated, with several dossiers waiting or none (notices.roles,
        notices.moves, notices.agencies); else the page of delegations."""
        if self.dossier_id:
            return reverse("dossier", args=[self.dossier_id])
        if self.key.startswith(("peran:", "skpd:", "skpd-")):
            return reverse("home")
        return reverse("delegations")


class NoticePreference(models.Model):
    """Which notices a person wants; without a row, all of them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    by_email = models.BooleanField("kirim lewat surel", default=True)
    in_app = models.BooleanField("tampilkan di daftar pemberitahuan", default=True)

    class Meta:
        verbose_name = "pilihan pemberitahuan"
        verbose_name_plural = "pilihan pemberitahuan"

    def __str__(self) -> str:
        return str(self.user)
