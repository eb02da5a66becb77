"""The roles of SOP 400/10/Kesra-TU (the Pelaksana columns of the seed)."""

from django.db import models


class Role(models.TextChoices):
    KASUBAG = "kasubag", "Kasubag"
    STAF = "staf", "Staf"
    KABAG = "kabag", "Kabag"
    KABIRO = "kabiro", "Kabiro"
    TIM = "tim", "Tim"
    SKPD = "skpd", "SKPD"


# How long "Plh. Kasubag <name> atas nama <name>" may be (workflow.models.audit.actor_label), as the
# log and a signed document's record keep it: two names at the longest the user form takes (a full
# name of 150 characters, or a first and last name of 150 each), and the capacity between them.
ACTOR_LABEL_LENGTH = 700


# Roles that work inside the bureau and see every dossier; an SKPD user sees only its agency's part.
INTERNAL_ROLES = frozenset({Role.KASUBAG, Role.STAF, Role.KABAG, Role.KABIRO, Role.TIM})
# The bureau's officials (pejabat): they watch the dashboard and the report and name their own Plh./Plt.
OFFICIAL_ROLES = frozenset({Role.KASUBAG, Role.KABAG, Role.KABIRO})


class DelegationKind(models.TextChoices):
    # Plh. (pelaksana harian) stands in while the official is away; Plt. (pelaksana tugas) fills a
    # vacant post. Both print as a prefix to the jabatan on documents and in the audit log.
    PLH = "plh", "Plh."
    PLT = "plt", "Plt."
