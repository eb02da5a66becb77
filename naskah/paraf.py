"""The paraf boxes and the signature of a draft as they stand, read from the audit log.

Finishing step 6 is the Kasubag's paraf, step 7 the Kabag's, step 8 the Kabiro's paraf and
signature (docs/domain.md, the nine steps). Only actions after the document was made count: after a
return at step 7 a new Nota is made, and the old parafs were on the old one.
"""

from dataclasses import dataclass

from django.utils import timezone

from lib.dates import long_date
from workflow.actions import Action
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

# The steps whose finishing is a paraf, in order of rank (lowest first, as the boxes are printed).
PARAF_STEPS = (6, 7, 8)
SIGNING_STEP = 8


@dataclass(frozen=True)
class Paraf:
    jabatan: str
    pelaku: str = ""
    tanggal: str = ""


def finishing_events(dossier, since) -> dict:
    """{step number: the latest event finishing it at or after `since`}."""
    states = {STEP_BY_NUMBER[n].state: n for n in PARAF_STEPS}
    events = dossier.events.filter(action=Action.SELESAIKAN, from_state__in=states, at__gte=since).select_related(
        "actor", "on_behalf_of"
    )
    return {states[e.from_state]: e for e in events.order_by("at", "pk")}


def initialled_by(event) -> str:
    """Who initialled, as a paraf box writes it: a Plh./Plt. with that title and without "atas
    nama" (which is the signature's form for signing for a superior, not a stand-in's)."""
    if event.delegation_kind:
        # The log's label ("Plh. Kabag Andi atas nama Hendra") without whom they stood in for: the
        # stand-in named as they were then, not as their account is named now.
        return event.actor_label.partition(" atas nama ")[0]
    return event.actor_label


def boxes(done: dict, steps=PARAF_STEPS) -> list[Paraf]:
    result = []
    for number in steps:
        role = STEP_BY_NUMBER[number].actors[0]
        event = done.get(number)
        result.append(
            Paraf(
                jabatan=Role(role).label,
                pelaku=initialled_by(event) if event else "",
                tanggal=long_date(timezone.localtime(event.at).date()) if event else "",
            )
        )
    return result
