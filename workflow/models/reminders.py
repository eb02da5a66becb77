"""What the reminder command has already sent, so a run every minute never repeats itself."""

from django.db import models
from django.utils import timezone


class ReminderSent(models.Model):
    class Kind(models.TextChoices):
        NEAR = "near", "Mendekati batas waktu"
        LATE = "late", "Terlambat"

    visit = models.ForeignKey("workflow.StepVisit", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    recipients = models.TextField("penerima", blank=True, max_length=20000)
    sent_at = models.DateTimeField("dikirim", default=timezone.now)

    class Meta:
        verbose_name = "pengingat terkirim"
        verbose_name_plural = "pengingat terkirim"
        ordering = ["-sent_at"]
        # The row is written in the same transaction as the sending: a second run (or a second
        # runner at the same minute) hits this constraint instead of mailing again.
        constraints = [models.UniqueConstraint(fields=["visit", "kind"], name="satu_pengingat_per_jenis")]


class DigestSent(models.Model):
    """The Kasubag's daily digest of overdue steps: one decision per working day."""

    tanggal = models.DateField(unique=True)
    jumlah = models.PositiveIntegerField("langkah terlambat", default=0)
    recipients = models.TextField("penerima", blank=True, max_length=20000)
    sent_at = models.DateTimeField("dikirim", default=timezone.now)

    class Meta:
        verbose_name = "ringkasan harian terkirim"
        verbose_name_plural = "ringkasan harian terkirim"
        ordering = ["-tanggal"]
