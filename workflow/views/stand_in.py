"""A Plh./Plt. whose delegation ended while her form was open: her form comes back with why.

A form opened in a delegated role carries which delegation gave it (`token`, signed: what it names is
read from the database, never taken from the post). Sent after the official ended it early, the admin
changed or deleted it, or its last day passed, the form is not refused with a 403 that says the dossier
moved on: it comes back closed, with what was typed and what became of the delegation
(`workflow.views.access.require_now_or_as_seen`).
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils import timezone

from lib.dates import long_date
from workflow.roles import DelegationKind, Role

FIELD = "pelimpahan"
SALT = "workflow.views.stand_in"
# A signed list of five small numbers and names is well under this; a longer post is not ours.
MAX_LENGTH = 300


def token(delegation) -> str:
    """What the form carries of the delegation it was opened under."""
    return signing.dumps([delegation.pk, delegation.delegate_id, delegation.official_id, delegation.kind,
                          delegation.role], salt=SALT)


def carried(request, closed: bool, capacity) -> str:
    """What the form's hidden field carries: a closed form what it was opened under, so that sent
    again it says the same; else the delegation `capacity` (the policy's answer) acts under, if any."""
    if closed:
        return request.POST.get(FIELD, "")
    return opened_under(capacity)


def opened_under(capacity) -> str:
    """The token of the delegation `capacity` acts under, "" for a role of one's own or none: what a
    form on a page that is not itself a form's answer carries (the SRIKANDI number on the dossier's page)."""
    delegation = getattr(capacity, "delegation", None)
    return token(delegation) if delegation is not None else ""


def posted(request) -> tuple | None:
    """(delegation id, official id, title, role) the posted form was opened under, when it was opened by
    this user as a Plh./Plt.; None otherwise (no token, a forged one, another user's)."""
    value = request.POST.get(FIELD, "")
    if not value or len(value) > MAX_LENGTH:
        return None
    try:
        pk, delegate_id, official_id, kind, role = signing.loads(value, salt=SALT)
        title = f"{DelegationKind(kind).label} {Role(role).label}"
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if delegate_id != request.user.pk:
        return None
    return pk, official_id, title, role


def fate(delegation) -> str:
    """What became of a delegation that gives its delegate nothing now, as the rest of "Pelimpahan
    Plh. Kabag dari Ani kepada Anda ..." says it; "" while it still gives."""
    today = timezone.localdate()
    if delegation.ended_early_at is not None:
        return delegation.ended_early_text
    if delegation.ends_on < today:
        return f"berakhir pada {long_date(delegation.ends_on)} sesuai tanggal akhirnya"
    if delegation.void:
        return delegation.void
    if delegation.starts_on > today:
        return f"diubah admin: baru berlaku mulai {long_date(delegation.starts_on)}"
    return ""


def who_may(official, roles, role: str) -> str:
    """Who may do it now: the official by name, in the `role` handed on, while their account is
    active (a Plt.'s official left the post: the role only); then the other `roles` that may act
    there (a letter the Kasubag may make too)."""
    if official is not None and official.is_active and role in roles:
        named = [f"{official} ({Role(role).label})"] + [Role(other).label for other in roles if other != role]
    else:
        named = [Role(other).label for other in roles]
    return " atau ".join(named)


def waits_on(who: str, state_label: str) -> str:
    """The closing sentence of a form on a dossier: it was not changed and waits on `who` now."""
    return f"Tidak ada yang diubah pada dosier ini: tetap di posisi “{state_label}” menunggu {who}."


def news(request, roles, dossier, what: str, left=None) -> str | None:
    """Why the posted form's sender may do `what` ("paraf tidak dapat Anda lakukan") no more, when the
    delegation it was opened under gives her nothing of `roles` now; None when it still does (she is
    refused for another reason) or the form names none. `left(who)` closes it, saying what was not
    done and who may do it, where the dossier's position would not (a new round has no dossier; a
    SRIKANDI number is recorded after the round waits on nobody); else `waits_on`."""
    seen = posted(request)
    if seen is None:
        return None
    pk, official_id, title, role = seen
    from workflow.models import Delegation

    delegation = Delegation.objects.filter(pk=pk).select_related("official", "delegate").first()
    official = get_user_model().objects.filter(pk=official_id).first()
    if delegation is None:
        happened = "dihapus admin sejak halaman ini dibuka"
    elif delegation.delegate_id != request.user.pk:
        happened = f"dialihkan admin kepada {delegation.delegate}"
    elif delegation.official_id != official_id or delegation.role not in roles:
        happened = f"diubah admin: kini {delegation.title} atas nama {delegation.official}"
    else:
        happened = fate(delegation)
    if not happened:
        return None
    who = who_may(official, roles, role)
    return (f"Pelimpahan Anda sebagai {title} atas nama {official or 'pejabat'} {happened}, jadi {what} lagi. "
            + (left(who) if left is not None else waits_on(who, dossier.state_label)))
