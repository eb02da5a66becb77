"""What a dossier gathers on its way: documents, meetings, the clock of each step (the agencies'
IKU are the `iku` app's)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from lib.dates import local, long_date
from workflow.steps import STATE_CHOICES, STEPS, DocKind

STEP_CHOICES = [(s.number, f"Langkah {s.number}") for s in STEPS]


def document_path(document, filename: str) -> str:
    # A generated name: what a user called the file is kept in original_name, never trusted as a path.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"dokumen/{document.dossier_id}/{uuid.uuid4().hex}{ext}"


class Document(models.Model):
    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="documents")
    step = models.PositiveSmallIntegerField("langkah", choices=STEP_CHOICES)
    kind = models.CharField("jenis", max_length=30, choices=DocKind.choices)
    file = models.FileField("berkas", upload_to=document_path)
    original_name = models.CharField("nama berkas asal", max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField("ukuran (byte)", default=0)
    generated = models.BooleanField("dibuat oleh aplikasi", default=False)
    keterangan = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The uploader's name as it was when the document came: a later rename (a married name, a
    # corrected spelling) must not rewrite who brought an earlier document. Filled on the first save.
    uploaded_by_nama = models.CharField("nama pengunggah saat itu", max_length=150, blank=True, default="",
                                        db_default="", editable=False)
    uploaded_at = models.DateTimeField("diunggah", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "dokumen"
        verbose_name_plural = "dokumen"
        ordering = ["step", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"

    def save(self, *args, **kwargs):
        if not self.uploaded_by_nama and self.uploaded_by_id:
            self.uploaded_by_nama = self.uploaded_by.display_name
        super().save(*args, **kwargs)

    # Asked by name in templates, not as `naskah` there: a missing relation in a template lookup
    # costs Django a `dir()` of the whole document each time.
    @property
    def made(self):
        """The app's record of making this document (naskah.Naskah), or None for an upload."""
        return getattr(self, "naskah", None)

    @property
    def is_signed(self) -> bool:
        """Made by the app and signed: its bytes are frozen."""
        return self.made is not None and self.made.is_final


class Meeting(models.Model):
    """A meeting held at a step that may meet as often as needed (step 5)."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="meetings")
    step = models.PositiveSmallIntegerField("langkah", choices=STEP_CHOICES)
    held_at = models.DateTimeField("waktu rapat")
    tempat = models.CharField(max_length=200)
    pimpinan = models.CharField("pimpinan rapat", max_length=150)
    ringkasan = models.TextField("ringkasan dan keputusan", max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "rapat"
        verbose_name_plural = "rapat"
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"Rapat {long_date(local(self.held_at).date())} di {self.tempat}"


class StepVisit(models.Model):
    """One stay of a dossier in one position, for the working-time clock.

    A step visited twice (step 6 after a return at step 7) has two rows, so each stay has its own
    clock and the history keeps both.
    """

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="visits")
    state = models.CharField("posisi", max_length=50, choices=STATE_CHOICES)
    entered_at = models.DateTimeField("masuk")
    left_at = models.DateTimeField("keluar", null=True, blank=True)
    # Worked out from the calendar when the stay begins (and again when the calendar changes while
    # it is open), so "late" and "near" are comparisons the database answers from an index:
    # due when the step's Waktu runs out, near when four fifths of it are used. None for a position
    # the SOP does not time.
    due_at = models.DateTimeField("batas waktu", null=True, blank=True)
    near_at = models.DateTimeField("mendekati batas", null=True, blank=True)
    # The working time the Waktu allows from this entry, and, once the stay has ended, the working
    # time it used: the year's report reads them instead of counting working hours over every stay.
    # Emptied when the calendar changes and worked out again when next needed.
    allowed_seconds = models.PositiveIntegerField("waktu baku (detik kerja)", null=True, blank=True)
    used_seconds = models.PositiveIntegerField("terpakai (detik kerja)", null=True, blank=True)
    # Which stay at this position it is: 1 for the first, 2 after the first return... Counted once
    # when the stay begins (`save`), so a clock shows "putaran ke-2" without counting the stays
    # before it. Stays written in bulk are the first at their position (default).
    attempt = models.PositiveSmallIntegerField("kunjungan ke-", default=1)

    class Meta:
        verbose_name = "riwayat posisi"
        verbose_name_plural = "riwayat posisi"
        ordering = ["entered_at", "pk"]
        indexes = [
            models.Index(fields=["state", "left_at"]),
            models.Index(fields=["due_at"], condition=models.Q(left_at__isnull=True), name="kunjungan_terbuka_batas"),
            # The ended stays whose working time is still to be counted (`sla.fill_worked`, when the
            # report's figures are read again): after a calendar change, else next to none; found
            # without reading the year.
            models.Index(fields=["dossier"], condition=models.Q(left_at__isnull=False, used_seconds__isnull=True),
                         name="kunjungan_belum_dihitung"),
            # The report's late list, by step and entry: the stays that ended past their due moment,
            # and the running ones (those past it are filtered on the walk).
            models.Index(fields=["state", "entered_at", "id"], condition=models.Q(left_at__gt=models.F("due_at")),
                         name="kunjungan_terlambat"),
            models.Index(fields=["state", "entered_at", "id"], condition=models.Q(left_at__isnull=True),
                         name="kunjungan_terbuka_urut"),
        ]

    def save(self, *args, **kwargs):
        # However a stay is written, it carries its due moment and, once ended, its working time
        # (bulk writes call workflow.sla.schedule themselves).
        from workflow.sla import schedule

        schedule(self)
        if self._state.adding and self.pk is None:
            self.attempt = StepVisit.objects.filter(dossier_id=self.dossier_id, state=self.state).count() + 1
        super().save(*args, **kwargs)
