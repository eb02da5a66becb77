"""The agencies' IKU: what each invited SKPD sends for a dossier, as rows of the decree's Lampiran.

The tables keep the names they had in the `workflow` app.
"""

from django.conf import settings
from django.db import models

from workflow.steps import IkuStage


class IkuSubmission(models.Model):
    """An agency's IKU for one dossier and stage: its Konsep (step 3) or its Bahan (step 5)."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="submissions")
    skpd = models.ForeignKey("workflow.Skpd", on_delete=models.PROTECT, related_name="submissions")
    stage = models.CharField("tahap", max_length=10, choices=IkuStage.choices)
    catatan = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("dikirim", null=True, blank=True)

    class Meta:
        db_table = "workflow_ikusubmission"
        verbose_name = "kiriman IKU SKPD"
        verbose_name_plural = "kiriman IKU SKPD"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "skpd", "stage"], name="satu_kiriman_per_tahap")
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.skpd}"


class IkuRow(models.Model):
    """One indicator: a row of the Lampiran table of the decree."""

    submission = models.ForeignKey(IkuSubmission, on_delete=models.CASCADE, related_name="rows")
    urutan = models.PositiveSmallIntegerField(default=1)
    sasaran_strategis = models.TextField("sasaran strategis")
    indikator = models.TextField("indikator kinerja utama")
    penjelasan = models.TextField("penjelasan/alasan", blank=True)
    formula = models.TextField("formula/cara pengukuran")
    satuan = models.CharField(max_length=50)
    target = models.CharField(max_length=50)
    sumber_data = models.CharField("sumber data", max_length=200)
    penanggung_jawab = models.CharField("penanggung jawab", max_length=200)

    class Meta:
        db_table = "workflow_ikurow"
        verbose_name = "baris IKU"
        verbose_name_plural = "baris IKU"
        ordering = ["urutan", "pk"]
