"""The signatures a document takes beside its step's signer: the Notulen's Pencatat signs the minutes
the chair signed when finishing the meeting's step (or before, if the step data puts the Pencatat
first: workflow.steps.Step.signatories).

The named person signs on their own page (naskah.views.tandatangani) with their password, or through
BSrE as the admin set for them. As with the step's signature (naskah.record.prepare), the signer is
asked first, outside any transaction; then one short transaction checks the document is still the
bytes that were signed, stores the new ones and writes the audit event (a COSIGN event beside the
transitions: the dossier does not move). The signature fills the empty field the first signature
left where the Pencatat's stamp goes, an approval signature that verification accepts after the
chair's (pades._only_approved_updates).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from naskah import pades, record, signature, signers
from naskah.models import NaskahRecord, new_token
from workflow import policy
from workflow.actions import COSIGN
from workflow.models import AuditEvent
from workflow.models.audit import actor_label
from workflow.steps import STEPS, DocKind, Signatory, signatories_of

SIGNED_BY_SEVERAL = tuple(kind for step in STEPS for kind, _ in step.signatories)

CHANGED = ("{kind} ini berubah sejak halaman Anda dibuka (ditandatangani atau diperbarui orang lain): tanda tangan "
           "Anda tidak disimpan. Buka lagi halamannya dan tandatangani yang terbaru.")


def awaited(made: NaskahRecord) -> str | None:
    """The signatory `made` waits for on their own page now: the first of its order who has not
    signed, unless that is the chair (who signs by finishing the step)."""
    waiting = record.waiting_signatories(made)
    return waiting[0] if waiting and waiting[0] != Signatory.PIMPINAN else None


def named_in(made: NaskahRecord, slot: str):
    """The user `made`'s form names as `slot` (its Pencatat), or None."""
    return record.form_data(made, made.document.dossier).get(slot)


def names(made: NaskahRecord, user) -> bool:
    """Whether `made`'s form names `user` as one of its signatories, read from what was typed
    without a query (the pages that list documents ask it of each)."""
    return made.document.kind in SIGNED_BY_SEVERAL and str(getattr(user, "pk", "")) in {
        str(made.isian.get(slot, "")) for slot in signatories_of(made.document.kind)}


def signing_as(user, made: NaskahRecord):
    """(slot, capacity) in which `user` may sign `made` now; None if they may not (policy.cosigning_as)."""
    if not names(made, user):
        return None
    slot = awaited(made)
    if slot is None:
        return None
    capacity = policy.cosigning_as(user, made.document.dossier, named_in(made, slot))
    return (slot, capacity) if capacity is not None else None


def offered(user, dossier) -> list[tuple[NaskahRecord, str]]:
    """The documents of `dossier` that wait for `user`'s signature beside another's, with the slot."""
    found = []
    for kind in SIGNED_BY_SEVERAL:
        made = record.latest(dossier, kind)
        allowed = signing_as(user, made) if made is not None else None
        if allowed is not None:
            found.append((made, allowed[0]))
    return found


def remember_latest(dossiers, awaiting=None) -> None:
    """Give each of `dossiers` its `_signed_by_several`: the newest document made here of each kind
    several people sign, in one query for them all (an inbox page asks `waiting_for` of each row).
    With `awaiting` (the inbox's reader), only those that note they wait for that user
    (`NaskahRecord.awaiting`, indexed), not every signed minutes of every row with its form."""
    latest = {dossier.pk: {} for dossier in dossiers}
    made_here = NaskahRecord.objects.filter(document__dossier__in=list(latest), document__kind__in=SIGNED_BY_SEVERAL)
    if awaiting is not None:
        made_here = made_here.filter(awaiting=awaiting.pk)
    for made in made_here.select_related("document").order_by("document__uploaded_at", "pk"):
        latest[made.document.dossier_id][made.document.kind] = made
    for dossier in dossiers:
        dossier._signed_by_several = list(latest[dossier.pk].values())


def waiting_for(user, dossier) -> list[tuple[NaskahRecord, str]]:
    """`offered`, read from what `remember_latest` gave the dossier (asked once for every person a
    hand-off tells): the signed documents of `dossier` that wait for `user`'s signature beside another's.
    Read from whom each noted it waits for when it was last signed (`record.remember_awaited`), as
    the inbox found them (`policy.inbox_scope`): no file is opened, no form cleaned, on any row."""
    if not hasattr(dossier, "_signed_by_several"):
        remember_latest([dossier])
    return [(made, made.awaiting_as) for made in dossier._signed_by_several
            if made.is_final and made.awaiting_id is not None and made.awaiting_id == getattr(user, "pk", None)
            and policy.cosigning_as(user, dossier, user) is not None]


def sign(made: NaskahRecord, user, plan: signers.Plan | None = None, *, at=None) -> AuditEvent:
    """`user`'s signature on `made` as the signatory it waits for, made as `plan` says (by default
    with their installed certificate); PermissionDenied when they may not, ValidationError (in
    Indonesian) when the signer cannot sign or the document changed meanwhile."""
    allowed = signing_as(user, made)
    kind = DocKind(made.document.kind).label
    if allowed is None:
        raise PermissionDenied(f"Anda tidak berwenang menandatangani {kind} ini sekarang.")
    slot, capacity = allowed
    dossier = made.document.dossier
    at = at or timezone.now()
    signer_used = signers.for_plan(plan, user)
    signer_used.check()
    final = record.context(made, dossier, user, konsep=False) | {"ttd_elektronik": True}
    block = signature.block(capacity.role, user)
    who = pades.Signer(nama=block.nama, jabatan=f"{Signatory(slot).label}, {user.jabatan or block.jabatan}",
                       nip=block.nip, kota=final.get("kota", ""))
    was, token = made.final_sha256, made.final_token or new_token()
    made.final_token = token
    # Outside any transaction: BSrE may take SOP_BSRE_TIMEOUT, and no writer waits for it.
    pdf = record.sign_as(made, final, slot, who, signer_used, at=at)
    with transaction.atomic():
        locked = NaskahRecord.objects.select_for_update().select_related("document__dossier").get(pk=made.pk)
        if locked.final_sha256 != was or signing_as(user, locked) != allowed:
            raise ValidationError(CHANGED.format(kind=kind), code="stale")
        if locked.is_final:
            record.keep(locked, pdf)
        else:
            locked.final_token = token
            record.store_first(locked, pdf, printed=final, through=signer_used.label, at=at,
                               by=actor_label(user, capacity))
        note = f"{kind} {locked.nomor} ditandatangani sebagai {Signatory(slot).label}".replace("  ", " ")
        return AuditEvent.objects.record(dossier, user, capacity, COSIGN, dossier.state, {
            "note": note, "tanda_tangan": signer_used.label, "naskah": locked.pk, "sebagai": slot}, at)
