from django.db import models


class Invitation(models.Model):
    """An agency invited to a round (`Dossier.invited`), and whether the round waits on it now."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE)
    skpd = models.ForeignKey("workflow.Skpd", on_delete=models.CASCADE)
    # Whether the dossier stands in the agency's inbox: at a step where agencies send their IKU, or
    # past it with this agency's table reopened (`policy.agency_waiting`). Written with the state or
    # the reopening (`policy.mark_waiting`), so an agency's inbox is a walk of its own few waiting
    # invitations, not a search of every invitation it ever had against the dossiers' states.
    # db_default: the previous release, serving beside this one during an upgrade, adds invitations
    # without naming the column (deploy/README.md, "Upgrades").
    waiting = models.BooleanField("menunggu SKPD", default=False, db_default=False, editable=False)

    class Meta:
        # The table Django made for the plain many-to-many this model took over.
        db_table = "workflow_dossier_invited"
        unique_together = [("dossier", "skpd")]
        verbose_name = "undangan SKPD"
        verbose_name_plural = "undangan SKPD"
        indexes = [
            # An agency's dossiers (`policy.dossier_scope`).
            models.Index(fields=["skpd", "dossier"], name="dosier_diundang_skpd"),
            models.Index(fields=["skpd", "dossier"], condition=models.Q(waiting=True), name="undangan_menunggu"),
        ]

    def __str__(self) -> str:
        return f"{self.skpd} pada dosier {self.dossier_id}"
