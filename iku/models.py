"""The agencies' IKU: what each invited SKPD sends for a dossier, as rows of the decree's Lampiran.

The tables keep the names they had in the `workflow` app.
"""


from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from iku.rows import FIELDS, LIMITS, LONG_TEXT, NOTE_LENGTH, parse_target
from lib.fingerprint import fingerprint
from workflow.steps import IkuStage


def _long(label, blank=True):
    # A TextField's max_length bounds forms only; the validator bounds the admin and full_clean too.
    return models.TextField(
        label, blank=blank, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )


class IkuSubmission(models.Model):
    """An agency's IKU for one dossier and stage: its Konsep (step 3) or its Bahan (step 5)."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="submissions")
    skpd = models.ForeignKey("workflow.Skpd", on_delete=models.PROTECT, related_name="submissions")
    stage = models.CharField("tahap", max_length=10, choices=IkuStage.choices)
    catatan = models.TextField(blank=True, max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)])
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("dikirim", null=True, blank=True)
    # The grid's work in progress, kept apart from the rows sent: saving a draft never changes what
    # the bureau already received. A list of row dicts keyed by the IkuRow field names.
    draft = models.JSONField("draf", default=list, blank=True)
    # The agency's place in the provincial table, set by the Kasubag; equal places go by name.
    urutan = models.PositiveSmallIntegerField("urutan SKPD", default=0)
    draft_saved_at = models.DateTimeField("draf disimpan", null=True, blank=True)
    # Who saved the draft: the grid names them to whoever opens it next (a colleague of the agency,
    # a successor), not "your draft". Empty for a draft an admin imported, or one saved before this
    # was kept.
    draft_saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="draf disimpan oleh", null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    # The note typed beside the draft, kept apart from `catatan` (the note the bureau received).
    # db_default: the previous release, serving beside this one during an upgrade, adds submissions
    # without naming the column (deploy/README.md, "Upgrades").
    draft_catatan = models.TextField(
        "catatan draf", blank=True, default="", db_default="", max_length=NOTE_LENGTH, validators=[MaxLengthValidator(NOTE_LENGTH)]
    )
    # Open again for this agency after it was sent (workflow.steps.Step.reopens_iku), until it sends.
    reopened_at = models.DateTimeField("dibuka kembali", null=True, blank=True)
    reopen_note = models.TextField("catatan pembukaan kembali", blank=True, max_length=NOTE_LENGTH)
    # Why a row differs from last year's decree, keyed by the row's indicator (iku.versions.row_key).
    change_reasons = models.JSONField("alasan perubahan", default=dict, blank=True)

    class Meta:
        db_table = "workflow_ikusubmission"
        verbose_name = "kiriman IKU SKPD"
        verbose_name_plural = "kiriman IKU SKPD"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "skpd", "stage"], name="satu_kiriman_per_tahap")
        ]
        # An agency's inbox asks for its reopened tables first (policy.inbox_scope): few, so a
        # partial index keeps that a lookup however many tables it has sent over the years.
        indexes = [models.Index(fields=["skpd"], condition=models.Q(reopened_at__isnull=False), name="kiriman_dibuka_kembali")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.skpd}"

    @property
    def draft_mark(self) -> str:
        """The draft's saving moment as a grid page carries it (iku.forms.TableMarks); "" without one."""
        return self.draft_saved_at.isoformat() if self.draft_saved_at else ""

    def holds_draft(self, rows: list[dict], note: str | None) -> bool:
        """Whether the draft kept is `rows` with `note` (None: whatever its note): what a page saving
        or sending again after its answer was lost finds, which undoes nobody's work."""
        return self.draft == rows and note in (None, self.draft_catatan)


class IkuRow(models.Model):
    """One indicator: a row of the Lampiran table of the decree."""

    submission = models.ForeignKey(IkuSubmission, on_delete=models.CASCADE, related_name="rows")
    urutan = models.PositiveSmallIntegerField(default=1)
    # Blank where the row continues the Sasaran of the row above, as published tables write it.
    sasaran_strategis = _long("sasaran strategis")
    indikator = _long("indikator kinerja utama", blank=False)
    penjelasan = _long("penjelasan/alasan")
    formula = _long("formula/cara pengukuran")
    satuan = models.CharField(max_length=LIMITS["satuan"], blank=True)
    target = models.CharField(max_length=LIMITS["target"], blank=True)
    # Read from `target` on save: "71,24 (akhir RPJMD 2023)" is 71.24 for "akhir RPJMD 2023".
    target_nilai = models.DecimalField("nilai target", max_digits=19, decimal_places=4, null=True, blank=True)
    target_periode = models.CharField("periode target", max_length=100, blank=True)
    sumber_data = models.CharField("sumber data", max_length=LIMITS["sumber_data"], blank=True)
    penanggung_jawab = models.CharField("penanggung jawab", max_length=LIMITS["penanggung_jawab"], blank=True)
    # The bureau's hand on the provincial table: a row left out (with why) and a word for the agency.
    dikeluarkan = models.TextField("alasan dikeluarkan", blank=True, max_length=NOTE_LENGTH)
    komentar = models.TextField("komentar Biro Kesra", blank=True, max_length=NOTE_LENGTH)

    class Meta:
        db_table = "workflow_ikurow"
        verbose_name = "baris IKU"
        verbose_name_plural = "baris IKU"
        ordering = ["urutan", "pk"]

    def read_target(self) -> None:
        self.target_nilai, self.target_periode = parse_target(self.target)

    @property
    def target_text(self) -> str:
        """The target with its unit, as one reads it: "85 persen (2027)"; a target that names its
        unit already ("5,8 persen (2028)") does not get it twice."""
        target = self.target.strip() or "-"
        unit = self.satuan.strip()
        if not unit or unit.casefold() in target.casefold():
            return target
        return f"{target} {unit}"

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def edit_mark(self) -> str:
        """The row's cells in a word, carried by its edit form on the provincial table's page: an edit
        from a page made before another edit of the row would write that one's cells back."""
        return fingerprint(sorted(self.as_dict().items()), 20)


class IkuVersion(models.Model):
    """What an agency sent, as it was sent: one per send, kept whoever sends again later."""

    submission = models.ForeignKey(IkuSubmission, on_delete=models.CASCADE, related_name="versions")
    nomor = models.PositiveSmallIntegerField("versi")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who sent it, named as they were then: a later rename of the account does not rewrite who sent
    # an earlier version (the versions page, the API). Filled on the first save.
    sent_by_nama = models.CharField("nama pengirim saat itu", max_length=150, blank=True, default="", db_default="",
                                    editable=False)
    sent_at = models.DateTimeField("dikirim")
    catatan = models.TextField(blank=True, max_length=NOTE_LENGTH)
    # Row dicts keyed by the IkuRow field names, in the order sent.
    rows = models.JSONField(default=list)

    class Meta:
        verbose_name = "versi kiriman IKU"
        verbose_name_plural = "versi kiriman IKU"
        ordering = ["submission", "nomor"]
        constraints = [models.UniqueConstraint(fields=["submission", "nomor"], name="satu_nomor_per_versi")]

    def __str__(self) -> str:
        return f"Versi {self.nomor}"

    def save(self, *args, **kwargs):
        if not self.sent_by_nama and self.sent_by_id:
            self.sent_by_nama = self.sent_by.display_name
        super().save(*args, **kwargs)


class IkuReminder(models.Model):
    """An agency reminded to send its IKU: at most once a day per dossier and stage."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="iku_reminders")
    skpd = models.ForeignKey("workflow.Skpd", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField("tahap", max_length=10, choices=IkuStage.choices)
    day = models.DateField("tanggal")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("dikirim")
    emailed = models.PositiveSmallIntegerField("e-mail terkirim", default=0)

    class Meta:
        verbose_name = "pengingat IKU"
        verbose_name_plural = "pengingat IKU"
        constraints = [
            models.UniqueConstraint(fields=["dossier", "skpd", "stage", "day"], name="satu_pengingat_sehari")
        ]
