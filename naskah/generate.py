"""Making a document as the step's output: a new version with its number, stored as the step's
document, its first print kept (naskah.drafts). Called by the request for a quick document and by
the worker (naskah.tasks) for a long one."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lib import locks
from lib.dates import moment_text
from naskah import drafts, record
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, NumberingRule, SerialCounter
from naskah.render import PDF_CONTENT_TYPE as PDF
from naskah.render import render_pdf
from workflow import services
from workflow.actions import Action
from workflow.models import Document, Dossier
from workflow.steps import DocKind

# The hidden field of the form page: the version of the document the form was opened on (0: none yet).
SEEN_VERSION = "versi_naskah"


class DraftChanged(ValidationError):
    """Another version of the document was made since the form was opened: made from this form, the
    new version would replace it unseen (its changes lost). The form comes back with this news."""


def current_version(dossier, kind: str) -> int:
    """The version number of `kind`'s latest document for `dossier`; 0 before the first."""
    previous = record.latest(dossier, kind)
    return previous.versi if previous else 0


def seen_version(posted) -> int | None:
    """The version a posted form was opened on; None when it says none (a page opened before the
    form carried it), which is not checked. Anything else unreadable is a version never made."""
    if SEEN_VERSION not in posted:
        return None
    value = posted[SEEN_VERSION]
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else -1


def check_unchanged(kind: str, seen: int | None, previous) -> None:
    """Refuse (DraftChanged) a form opened on another version of `kind` than `previous`, the latest
    (record.latest), naming who made that one and when."""
    if seen is None:
        return
    if (previous.versi if previous else 0) == seen:
        return
    label = DocKind(kind).label
    if previous is None:
        raise DraftChanged(f"{label} ini berubah sejak halaman ini dibuka. Isian Anda belum disimpan dan masih di "
                           "bawah: periksa, lalu kirim lagi.", code="draft_changed")
    made = previous.document
    again = " lagi" if previous.versi > 1 else ""
    raise DraftChanged(
        f"{label} ini sudah dibuat{again} oleh {made.uploaded_by_nama} sejak halaman ini dibuka (versi "
        f"{previous.versi}, {moment_text(made.uploaded_at)}), sehingga isian Anda belum disimpan: naskah dari isian "
        f"ini akan menggantikan versi {previous.versi} tanpa perubahan yang dibuat di sana. Isian Anda masih di bawah: bandingkan "
        f"dengan versi {previous.versi} di halaman dosier, lalu kirim lagi bila memang ini yang benar.",
        code="draft_changed")


def allocate(kind: str, year: int) -> tuple[str, str]:
    """The next number of `kind` in `year` by its admin-set pattern, and the classification code it
    carries; ("", "") for a kind not numbered here (the draft decree, whose number the Governor's
    office gives)."""
    penomoran = NumberingRule.objects.filter(kind=kind).first()
    if penomoran is None:
        return "", ""
    return penomoran.format(SerialCounter.next(kind, year), year), penomoran.kode_klasifikasi


def _expected_number(previous, kind: str, year: int) -> str | None:
    """The number a new version will carry, read without taking one: its predecessor's, none for a
    kind not numbered here, or the next serial as the counter stands (another officer may take it
    first). None: not known beforehand (the year's serials spent, a pattern the admin broke)."""
    nomor = record.kept_number(previous, year)
    if nomor is not None:
        return nomor
    rule = NumberingRule.objects.filter(kind=kind).first()
    if rule is None:
        return ""
    serial = SerialCounter.peek(kind, year)
    if serial is None:
        return None
    try:
        return rule.format(serial, year)
    except ValidationError:
        return None


def _print(generator, dossier, form, made, since, user, on_phase) -> tuple[bytes, str]:
    """The new version's PDF, and the key its print is kept under (naskah.drafts)."""
    context = generator.context(dossier, form.cleaned_data, made.nomor, since, user) | record.marks(made, konsep=True)
    return render_pdf(generator.template, context, on_phase), drafts.key(generator.template, context)


def generate(dossier, user, kind: str, form, *, revision: int, at=None, on_phase=None, seen: int | None = None):
    """Render the document from a valid form and store it through services.perform (UNGGAH), so the
    step's gate counts it exactly like an upload. A draft that replaces an unsigned one keeps its
    number; otherwise the next is taken in the same transaction: refused or stale, it is not used up.
    The document is laid out before the transaction, with the number it is expected to get: a
    layout (a tenth of a second or more for a letter, seconds for a long decree) must not hold the
    database, which SQLite locks whole for a writer, nor the dossier's row. It is laid out again
    inside only when its number turned out otherwise (another officer took that serial meanwhile).
    `seen`: the version the form was opened on (check_unchanged), refused before anything is laid
    out when it is already stale."""
    generator = GENERATORS[kind]
    since = at or timezone.now()
    year = form.tanggal_naskah().year
    made = NaskahRecord(isian=form.isian(), tahun_nomor=year)
    previous = record.latest(dossier, kind)
    check_unchanged(kind, seen, previous)
    made.nomor = _expected_number(previous, kind, year)
    ahead = None
    if made.nomor is not None:
        ahead = made.nomor, _print(generator, dossier, form, made, since, user, on_phase)
    document = None
    try:
        with transaction.atomic():
            # One new version of a dossier's documents at a time, the previous one read under the
            # lock: read before it, twenty clicks at once each saw no number to keep (and took one)
            # or the same last version (and made its successor twice).
            locks.hold_row(Dossier, dossier.pk)
            previous = record.latest(dossier, kind)
            check_unchanged(kind, seen, previous)
            nomor = record.kept_number(previous, year)
            if nomor is None:
                nomor, made.klasifikasi = allocate(kind, year)
            else:
                made.klasifikasi = previous.klasifikasi
            made.nomor, made.versi = nomor, previous.versi + 1 if previous else 1
            pdf, key = ahead[1] if ahead is not None and ahead[0] == nomor else _print(
                generator, dossier, form, made, since, user, on_phase)
            document = Document(
                dossier=dossier, kind=kind, original_name=generator.file_name(dossier, nomor, made.versi),
                content_type=PDF, size=len(pdf), generated=True,
                keterangan=nomor or f"{generator.judul.removeprefix('Buat ')} (nomor diberikan saat penetapan)",
            )
            document.file.save(document.original_name, ContentFile(pdf), save=False)
            event = services.perform(dossier, user, Action.UNGGAH, revision=revision, document=document, at=at)
            made.document, made.sha256 = document, record.sha256(pdf)
            made.save()
    except BaseException:
        # The row is rolled back; the file written before it must go too.
        if document is not None and document.file:
            document.file.delete(save=False)
        raise
    # Printed again as it stands right after, it is these bytes: reviewers' pages find them kept.
    drafts.store(key, pdf)
    return event, document


def generate_with_defaults(dossier, user, kind: str, at=None):
    """Make a document as an officer who accepts the form's suggested wording would (the demo data)."""
    generator = GENERATORS[kind]
    form = generator.form(generator.form.posted_defaults(dossier), dossier=dossier)
    if not form.is_valid():
        raise ValueError(f"{kind}: {form.errors.as_text()}")
    dossier.refresh_from_db()
    return generate(dossier, user, kind, form, revision=dossier.revision, at=at)
