from django.db import models
from django.db.models import OuterRef, Subquery


class InvitationQuerySet(models.QuerySet):
    def keep_names(self, dossier) -> None:
        """Keep each invited agency's names as they stand now on `dossier`'s invitations: called as
        the draft decree leaves the bureau (step 9), after which the round is a record. A later
        rename (a new nomenclature, the same agency) is for the rounds to come; the decree that went
        to the Governor, its IKU tables and its round still read the names it was forwarded with."""
        from workflow.models.skpd import Skpd

        agency = Skpd.objects.filter(pk=OuterRef("skpd_id"))
        self.filter(dossier=dossier).update(nama_tercatat=Subquery(agency.values("nama")[:1]),
                                            nama_pendek_tercatat=Subquery(agency.values("nama_pendek")[:1]))

    def names_of_record(self, dossier) -> dict[int, tuple[str, str]]:
        """{agency id: (official name, short name)} as `dossier` kept them (keep_names); {} for a
        round whose decree has not left the bureau, which reads the agencies' names as they are."""
        if dossier.forwarded_at is None:
            return {}
        # Kept on the dossier for its page: its round table and its IKU tables each ask.
        named = getattr(dossier, "_names_of_record", None)
        if named is None:
            kept = self.filter(dossier=dossier).exclude(nama_pendek_tercatat="")
            named = dossier._names_of_record = {skpd: (nama, pendek) for skpd, nama, pendek
                                                in kept.values_list("skpd_id", "nama_tercatat", "nama_pendek_tercatat")}
        return named


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
    # The agency's names as the round's draft decree left the bureau (keep_names); empty before.
    # db_default: as `waiting`.
    nama_tercatat = models.CharField("nama resmi saat diteruskan", max_length=255, blank=True, default="",
                                     db_default="", editable=False)
    nama_pendek_tercatat = models.CharField("nama pendek saat diteruskan", max_length=150, blank=True, default="",
                                            db_default="", editable=False)

    objects = InvitationQuerySet.as_manager()

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
