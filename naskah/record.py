"""The record around a generated document: its number kept while it is a draft, the KONSEP mark
and the verification QR on every print, the signed version frozen once at signing, and the check of
a file against what was stored.

A draft (KONSEP) is printed again as it stands (its paraf boxes fill in as officials initial it);
a signed document is rendered once, when the step that signs it finishes, and only those bytes are
served afterwards: a later change of a profile, the letterhead or a name does not reach it.

Each draft version has its own verification token, and the signed document another, given at
signing: the QR on a KONSEP print leads to that draft's page, never to the signed document's.
"""

import hashlib
from dataclasses import dataclass

import segno
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lib.dates import moment_text
from lib.site import site_url
from naskah import content, pades, signature, signers
from naskah.forms import other_years_named
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, new_token
from naskah.render import render_pdf_with_boxes
from workflow.actions import Action
from workflow.models import AuditEvent, User
from workflow.steps import STEP_BY_STATE, DocKind, Signatory, signatories_of


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verification_url(record: NaskahRecord, *, final: bool | None = None) -> str:
    """The public page of `record`'s draft version, or of its signed document (`final`; by default
    the signed one once there is one)."""
    final = record.is_final if final is None else final
    return site_url() + reverse("verifikasi", args=[record.final_token if final else record.token])


def marks(record: NaskahRecord, *, konsep: bool) -> dict:
    """What every print adds to a document's own context: the KONSEP mark while it is a draft, and
    the QR to its public verification page: the draft version's, or the signed document's."""
    url = verification_url(record, final=not konsep)
    qr = segno.make(url, error="m")
    return {"konsep": konsep, "verifikasi_url": url, "qr_svg": qr.svg_inline(scale=1, border=0, omitsize=True, title="Kode QR verifikasi keaslian naskah")}


def latest(dossier, kind) -> NaskahRecord | None:
    """The newest document of `kind` made here for `dossier`."""
    return (NaskahRecord.objects.filter(document__dossier=dossier, document__kind=kind)
            .select_related("document").order_by("-document__uploaded_at", "-pk").first())


def kept_number(previous: NaskahRecord | None, year: int) -> str | None:
    """The number a new draft keeps: its predecessor's, while that one is unsigned and numbered in
    the same year. None: take a new one."""
    if previous is None or previous.is_final or not previous.nomor or previous.tahun_nomor != year:
        return None
    return previous.nomor


def form_data(record: NaskahRecord, dossier) -> dict:
    """What the officer filled in for `record`, as its form cleans it. What no longer passes (a rule
    made stricter since, a person named then and deleted since) is still read as it was kept, never
    replaced by the form's defaults: the print is what was typed and reviewed."""
    generator = GENERATORS[record.document.kind]
    made_on = timezone.localtime(record.document.uploaded_at).date()
    data = record.isian
    if not data.keys() >= generator.form.base_fields.keys():
        # A field added since the document was made takes the form's default (a draft's tembusan).
        data = generator.form.posted_defaults(dossier) | data
    form = generator.form(data, dossier=dossier, today=made_on, stored=True)
    if form.is_valid():
        return form.cleaned_data
    kept = dict(form.cleaned_data)
    for name in form.errors:
        if name in form.fields:
            try:
                kept[name] = form.fields[name].to_python(data.get(name))
            except ValidationError:
                kept[name] = None  # a person deleted: named by no one
    return kept


def addressees(printed: dict) -> list[str]:
    """Whom a document's context addresses, as its print lists them: a letter's agencies, the
    Nota's Yth.; [] for a kind addressed to nobody (minutes, the decree)."""
    return list(printed.get("tujuan") or ([printed["yth"]] if printed.get("yth") else []))


def signed_addressees(made: NaskahRecord, dossier) -> list[str]:
    """Whom `made`, signed, was addressed to as it was signed: as kept at signing, else (signed
    before they were kept) read again from what was typed, a letter's agencies all those invited."""
    if made.tujuan_final:
        return made.tujuan_final.splitlines()
    printed = context(made, dossier, None, konsep=False)
    return content.signed_tujuan(dossier) if "tujuan" in printed else addressees(printed)


def context(record: NaskahRecord, dossier, user, *, konsep: bool, signing=None) -> dict:
    """What `record`'s print shows; `signing`, the event whose finishing signs it now, puts its
    signer in the signature block (naskah.content)."""
    generator = GENERATORS[record.document.kind]
    own = generator.context(dossier, form_data(record, dossier), record.nomor, record.document.uploaded_at, user,
                            signing=signing)
    return own | marks(record, konsep=konsep)


# Where each of the people who sign a document several sign (workflow.steps.Signatory) signs: the
# signature field and the element of the page that leaves room for their stamp. The chair's is the
# field every document signed by one person has.
PLACES = {
    Signatory.PIMPINAN: (pades.FIELD, pades.STAMP_BOX_ID),
    Signatory.PENCATAT: ("TandaTanganPencatat", "ruang-ttd-pencatat"),
}
FIELD_LABELS = {field: Signatory(slot).label for slot, (field, _) in PLACES.items()}


def signed_pdf(record: NaskahRecord, dossier, event, plan: signers.Plan | None = None) -> tuple[bytes, dict, str]:
    """The final document, PAdES-signed as `plan` says (by default with the signer's installed
    certificate, else the institution's) in the box its signature block leaves for the stamp, the
    context it was made from, and which signer signed it. Its QR carries `record.final_token`. A
    signer that cannot sign: ValidationError, and the transition that signs is refused. A document
    several sign is signed here as its chair (sign_as)."""
    signer_used = signers.for_plan(plan, event.actor)
    signer_used.check()
    # The printed block is made from the same event as the stamp: both name who signs, as what.
    final = context(record, dossier, event.actor, konsep=False, signing=event) | {"ttd_elektronik": True}
    block = signature.block_from_event(event)
    who = pades.Signer(nama=block.nama, jabatan=" ".join(block.baris_jabatan).rstrip(","), nip=block.nip,
                       kota=final.get("kota", ""))
    slot = Signatory.PIMPINAN if signatories_of(record.document.kind) else None
    return sign_as(record, final, slot, who, signer_used, at=event.at), final, signer_used.label


def sign_as(record: NaskahRecord, final: dict, slot: str | None, who: pades.Signer, signer_used, *, at) -> bytes:
    """`record`'s document signed by `who` with `signer_used` as `slot` of its signatories (None:
    its only signer). The first signature renders the final document from its context `final`,
    leaving an empty signature field where each other signatory's stamp goes; a later one is added
    to the signed bytes as an incremental update, in the field left for it."""
    field, place = PLACES[slot] if slot else (pades.FIELD, pades.STAMP_BOX_ID)
    if record.is_final:
        signed = served_bytes(record)
        page, box = pades.field_place(signed, field)
        return signer_used.sign(signed, who, page=page, box=box, at=at, field=field)
    others = [PLACES[other] for other in signatories_of(record.document.kind) if other != slot]
    pdf, found = render_pdf_with_boxes(GENERATORS[record.document.kind].template, final,
                                       [place, *(box_id for _, box_id in others)])
    pdf = pades.with_empty_fields(pdf, [(name, *found[box_id]) for name, box_id in others if box_id in found])
    page, box = found.get(place, (None, None))
    return signer_used.sign(pdf, who, page=page, box=box, at=at, field=field)


def waiting_signatories(record: NaskahRecord) -> list[str]:
    """Those of `record`'s signatories who have not signed it yet, in their order."""
    order = signatories_of(record.document.kind)
    return waiting_in(record.document.kind, served_bytes(record)) if order and record.is_final else list(order)


def waiting_in(kind: str, signed: bytes) -> list[str]:
    """Those of the signatories of a document of `kind` who have not signed `signed`, its bytes, in
    their order. Counted, not read from the fields: each signs only after those before them (cosign,
    unsigned), and BSrE signs in a field of its own making beside the one left empty for it."""
    order = signatories_of(kind)
    return list(order[len(pades.signed_fields(signed)):]) if order else []


def remember_awaited(record: NaskahRecord, signed: bytes) -> None:
    """Note on `record` whom `signed`, the bytes it keeps now, waits for on their own page (the
    Pencatat after the chair): the slot and the person its form names there (none if deleted since).
    The chair signs by finishing the step, whose own inbox row waits on them: not noted."""
    waiting = waiting_in(record.document.kind, signed)
    slot = waiting[0] if waiting and waiting[0] != Signatory.PIMPINAN else ""
    person = None
    if slot:
        try:
            person = User.objects.filter(pk=int(record.isian.get(slot))).values_list("pk", flat=True).first()
        except (TypeError, ValueError):
            person = None
    record.awaiting_as, record.awaiting_id = slot, person


@dataclass(frozen=True)
class Signed:
    """A document signed before the transaction that stores it (prepare): its bytes, the token its
    QR carries, the context it was made from and which signer signed it."""

    token: str
    pdf: bytes
    printed: dict
    through: str


PREPARED = "tanda_tangan"


def awaits_finishing(made: NaskahRecord | None) -> bool:
    """Whether finishing its step signs `made`: unsigned, or signed by another of its signatories
    and not yet by its chair."""
    if made is None:
        return False
    return not made.is_final or (bool(signatories_of(made.document.kind))
                                 and Signatory.PIMPINAN in waiting_signatories(made))


def unsigned(dossier, step) -> list[NaskahRecord]:
    """The documents finishing `step` signs: the latest of each kind it signs made here, unsigned,
    or signed by another of its signatories but not yet by its chair. GateError when one waits
    for a signatory the step data puts before the chair."""
    from workflow.gates import GateError

    waiting = []
    for made in (latest(dossier, kind) for kind in step.signs):
        if not awaits_finishing(made):
            continue
        order = signatories_of(made.document.kind)
        before = order[:order.index(Signatory.PIMPINAN)] if Signatory.PIMPINAN in order else ()
        # Read once: each reading opens the signed file and lists its signatures.
        still = waiting_signatories(made) if before else []
        missing = [Signatory(slot).label for slot in before if slot in still]
        if missing:
            raise GateError([f"{DocKind(made.document.kind).label} belum ditandatangani {', '.join(missing)}: "
                             "pimpinan menandatangani sesudahnya."])
        if gone := signatories_gone(made, dossier):
            raise GateError(gone)
        if otherwise := years_otherwise(made, dossier):
            raise GateError(otherwise)
        waiting.append(made)
    return waiting


def signatories_gone(made: NaskahRecord, dossier) -> list[str]:
    """Why `made` could never be signed by all it names: a signatory beside the chair whose account
    the admin has since deactivated or deleted. Said before the chair signs, not found after."""
    if made.is_final:
        return []  # the chair has signed; the others were checked then
    named = form_data(made, dossier)
    kind = DocKind(made.document.kind).label
    said = []
    for slot in signatories_of(made.document.kind):
        if slot == Signatory.PIMPINAN:
            continue
        person, label = named.get(slot), Signatory(slot).label
        if person is None:
            said.append(f"{kind} menyebut {label} yang akunnya sudah dihapus: ubah {kind} dan pilih {label.lower()} "
                        "lain, lalu selesaikan langkah ini.")
        elif not person.is_active:
            said.append(f"{kind} menyebut {label} {person.display_name}, yang akunnya sudah dinonaktifkan: ubah "
                        f"{kind} dan pilih {label.lower()} lain, lalu selesaikan langkah ini.")
    return said


def meeting_not_over(made: NaskahRecord, dossier, now) -> list[str]:
    """Why `made` cannot be signed at `now`: minutes of a meeting that, as they say, has not been
    closed yet (dated today, closing later; still on or not begun). Signed then, the signature would
    vouch for decisions not yet taken, and the verification page would show it before the meeting
    ended. Said with the moment from which they can be signed."""
    closes_at = getattr(GENERATORS[made.document.kind].form, "closes_at", None)
    if made.is_final or closes_at is None:
        return []
    closes = closes_at(form_data(made, dossier))
    if closes is None or closes <= now:
        return []
    kind = DocKind(made.document.kind).label
    return [f"{f'{kind} {made.nomor}'.rstrip()} mencatat rapat yang ditutup {moment_text(closes)} WIB: rapat itu belum "
            f"selesai, maka notulennya baru dapat ditandatangani mulai {moment_text(closes)} WIB. Bila rapat sudah "
            f"ditutup lebih awal, buat versi baru {kind} dengan jam penutupan yang sebenarnya."]


def years_otherwise(made: NaskahRecord, dossier) -> list[str]:
    """Why `made` cannot be signed for its round: what it is about names another year than the
    round's, as typed, or as made before the round's year was corrected (its body prints the year
    the round has now)."""
    if made.is_final:
        return []
    kind, fields = DocKind(made.document.kind).label, GENERATORS[made.document.kind].form.base_fields
    return [f"{kind} menyebut Tahun {said} pada {fields[name].label}, tetapi Tahun IKU dosier ini {dossier.tahun}: "
            f"buat versi baru {kind} dengan tahun yang benar, lalu selesaikan langkah ini."
            for name, said in other_years_named(made.isian, dossier.tahun).items()]


def prepare(sender, dossier, user, action, revision, at, fields, **kwargs):
    """Sign the documents a step's finishing signs before its transaction (transition_preparing),
    once the dossier as it stands admits it and its step lacks nothing: BSrE may take
    SOP_BSRE_TIMEOUT to answer, and no writer waits for it. on_transition stores what this made."""
    from workflow import gates, services

    step = STEP_BY_STATE.get(dossier.state)
    if action != Action.SELESAIKAN or step is None or not step.signs:
        return None
    current, capacity = services.admitted_now(dossier, user, action, revision)
    made = unsigned(current, step)
    if not made:
        return None
    gates.require_ready(current)
    event = AuditEvent.objects.describe(current, user, capacity, action, current.state, {}, at)
    signed = {}
    for one in made:
        one.final_token = one.final_token or new_token()
        pdf, printed, through = signed_pdf(one, current, event, fields.get("tanda_tangan"))
        signed[one.pk] = Signed(one.final_token, pdf, printed, through)
    return {PREPARED: signed}


def freeze(record: NaskahRecord, dossier, event, plan: signers.Plan | None = None) -> None:
    """Keep the signed document, without the KONSEP mark and with a token of its own, with its
    SHA-256, the addressees it prints and which signer signed it: as signed before the transaction
    (prepare), else rendered and signed now (the demo's past rounds, the bench)."""
    prepared = getattr(dossier, "prepared", {})
    if PREPARED in prepared:
        ahead = prepared[PREPARED].get(record.pk)
        if ahead is None:
            # Another version was made after the signature was: what was signed is not the draft.
            from workflow.services import StaleDossier

            raise StaleDossier(dossier)
        record.final_token, pdf, printed, through = ahead.token, ahead.pdf, ahead.printed, ahead.through
    else:
        record.final_token = record.final_token or new_token()
        pdf, printed, through = signed_pdf(record, dossier, event, plan)
    if record.is_final:
        # Another signatory signed first: the chair's signature is added to those bytes.
        keep(record, pdf)
    else:
        store_first(record, pdf, printed=printed, through=through, at=event.at, by=event.actor_label)


def store_first(record: NaskahRecord, pdf: bytes, *, printed: dict, through: str, at, by: str) -> None:
    """Keep `pdf`, the first signature on `record`'s document, with its SHA-256, when and by whom
    it was signed, through which signer, and the addressees it prints (`printed`, its context)."""
    record.final_file.save(record.final_name, ContentFile(pdf), save=False)
    record.final_sha256, record.final_size = sha256(pdf), len(pdf)
    record.signed_at = at
    record.signed_by = by
    record.signed_through = through
    record.tujuan_final = "\n".join(addressees(printed))
    remember_awaited(record, pdf)
    record.save(update_fields=["final_file", "final_sha256", "final_size", "signed_at", "signed_by", "final_token",
                               "tujuan_final", "signed_through", "awaiting_as", "awaiting"])


def keep(record: NaskahRecord, pdf: bytes) -> None:
    """Store `pdf` as `record`'s signed document in place of the bytes it was signed over."""
    old_name, storage = record.final_file.name, record.final_file.storage
    record.final_file.save(record.final_name, ContentFile(pdf), save=False)
    record.final_sha256, record.final_size = sha256(pdf), len(pdf)
    remember_awaited(record, pdf)
    record.save(update_fields=["final_file", "final_sha256", "final_size", "awaiting_as", "awaiting"])
    if old_name != record.final_file.name:
        transaction.on_commit(lambda: storage.delete(old_name))


def on_transition(sender, dossier, event, **kwargs):
    """Finishing a step that signs documents freezes the latest one of each kind made here (an
    uploaded one is already what it is), signed as the finishing form planned (`signing_plan`,
    set by the transition; the installed certificate when no form planned it)."""
    step = STEP_BY_STATE.get(event.from_state)
    if event.action != Action.SELESAIKAN or step is None:
        return
    for made in unsigned(dossier, step):
        freeze(made, dossier, event, getattr(dossier, "signing_plan", None))


def served_bytes(record: NaskahRecord) -> bytes:
    with record.final_file.open("rb") as stored:
        return stored.read()


def find(data: bytes) -> tuple[NaskahRecord | None, str]:
    """The record whose stored bytes are exactly `data`, and which of them: "final" (the signed
    document) or "konsep" (the draft as generated); (None, "") when no document here has them."""
    digest = sha256(data)
    record = NaskahRecord.objects.filter(final_sha256=digest).select_related("document__dossier").first()
    if record is not None:
        return record, "final"
    record = NaskahRecord.objects.filter(sha256=digest).select_related("document__dossier").first()
    return (record, "konsep") if record is not None else (None, "")
