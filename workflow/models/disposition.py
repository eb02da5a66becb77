from django.conf import settings
from django.db import models

from workflow.steps import STATE_CHOICES, WaktuUnit


class Disposition(models.Model):
    """The Kasubag hands a preparatory task of the current step (prepare the Undangan, take the
    minutes) to a named Staf, with an instruction and a due moment in working time. It shows in that
    Staf's inbox and on the dossier; giving it and its completion are both in the audit log."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="dispositions",
                                verbose_name="dosier")
    # The position it was given at: it waits in the Staf's inbox while the dossier stays there.
    state = models.CharField("posisi", max_length=50, choices=STATE_CHOICES)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dispositions",
                                    verbose_name="kepada")
    instruksi = models.TextField(max_length=1000)
    waktu_amount = models.PositiveSmallIntegerField("waktu")
    waktu_unit = models.CharField("satuan", max_length=10, choices=WaktuUnit.choices)
    due_at = models.DateTimeField("tenggat")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="dari")
    given_at = models.DateTimeField("diberikan")
    done_at = models.DateTimeField("selesai", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                blank=True, verbose_name="diselesaikan oleh")
    hasil = models.TextField("laporan hasil", max_length=1000, blank=True)
    # The names as they were when it was given and reported done: a later rename (a married name, a
    # corrected spelling) must not rewrite who gave it, to whom, and who finished it, as the audit
    # log does not. db_default: the previous release, serving beside this one during an upgrade,
    # gives dispositions without naming the columns (deploy/README.md, "Upgrades").
    given_by_nama = models.CharField("dari (nama saat itu)", max_length=150, blank=True, default="", db_default="",
                                     editable=False)
    assigned_to_nama = models.CharField("kepada (nama saat itu)", max_length=150, blank=True, default="",
                                        db_default="", editable=False)
    done_by_nama = models.CharField("diselesaikan oleh (nama saat itu)", max_length=150, blank=True, default="",
                                    db_default="", editable=False)

    class Meta:
        verbose_name = "disposisi"
        verbose_name_plural = "disposisi"
        ordering = ["done_at", "due_at", "pk"]
        indexes = [models.Index(fields=["assigned_to", "done_at"])]

    def __str__(self) -> str:
        return f"Disposisi {self.get_state_display()} kepada {self.assigned_to_name}: {self.instruksi[:60]}"

    # The names to show: kept ones, or, for one given by the previous release during an upgrade
    # (kept none), the account's as it stands, which is as it was then.
    @property
    def given_by_name(self) -> str:
        return self.given_by_nama or self.given_by.display_name

    @property
    def assigned_to_name(self) -> str:
        return self.assigned_to_nama or self.assigned_to.display_name

    @property
    def done_by_name(self) -> str:
        return self.done_by_nama or (self.done_by.display_name if self.done_by_id else "")

    def in_stay_of(self, dossier) -> bool:
        """Given in the dossier's current stay: a disposisi lapses when the dossier moves on, and stays
        lapsed when a return brings the dossier back to its step (the Kabag's, from step 7 to 6), where
        it came back to the Staf's inbox with its old, long-past deadline."""
        return self.state == dossier.state and self.given_at >= dossier.state_entered_at

    @property
    def waktu_label(self) -> str:
        return f"{self.waktu_amount} {WaktuUnit(self.waktu_unit).label}"
