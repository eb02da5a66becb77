"""Making a document as the step's output, and printing the latest one: as it stands while a draft, as
frozen once signed (naskah.record)."""

import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from naskah import record
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, NumberingRule, SerialCounter
from naskah.render import PDF_CONTENT_TYPE as PDF
from naskah.render import render_pdf
from workflow import services
from workflow.actions import Action
from workflow.models import Document


def file_name(generator, dossier, nomor: str, versi: int = 1) -> str:
    safe = re.sub(r"[^A-Za-z0-9.]+", "-", nomor).strip("-.")
    return f"{generator.prefix}-{dossier.tahun}" + (f"-{safe}" if safe else "") + (f"-v{versi}" if versi > 1 else "") + ".pdf"


def allocate(kind: str, year: int) -> str:
    """The next number of `kind` in `year` by its admin-set pattern; "" for a kind not numbered here
    (the draft decree, whose number the Governor's office gives)."""
    penomoran = NumberingRule.objects.filter(kind=kind).first()
    if penomoran is None:
        return ""
    return penomoran.format(SerialCounter.next(kind, year), year)


def generate(dossier, user, kind: str, form, *, revision: int, at=None):
    """Render the document from a valid form and store it through services.perform (UNGGAH), so the
    step's gate counts it exactly like an upload. A draft that replaces an unsigned one keeps its
    number; otherwise the next is taken in the same transaction: refused or stale, it is not used up."""
    generator = GENERATORS[kind]
    document = None
    try:
        with transaction.atomic():
            year = form.tanggal_naskah().year
            previous = record.latest(dossier, kind)
            nomor = record.kept_number(previous, year)
            if nomor is None:
                nomor = allocate(kind, year)
            made = NaskahRecord(nomor=nomor, isian=form.isian(), tahun_nomor=year,
                                versi=previous.versi + 1 if previous else 1)
            context = generator.context(dossier, form.cleaned_data, nomor, at or timezone.now(), user)
            pdf = render_pdf(generator.template, context | record.marks(made, konsep=True))
            document = Document(
                dossier=dossier, kind=kind, original_name=file_name(generator, dossier, nomor, made.versi),
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
    return event, document


def reprint(dossier, kind, user) -> tuple[bytes, str]:
    """The latest document of `kind` made here: once signed, the bytes frozen at signing; before,
    printed again from what the officer filled in with the paraf it has now, marked KONSEP. If none
    was made here (the officer uploaded one), the default wording with the number left blank: the
    uploaded file carries the real one."""
    generator = GENERATORS[kind]
    current = record.latest(dossier, kind)
    if current is None:
        uploaded = Document.objects.filter(dossier=dossier, kind=kind).order_by("-uploaded_at", "-pk").first()
        since = uploaded.uploaded_at if uploaded else dossier.created_at
        context = generator.context(dossier, generator.form.defaults(dossier), "", since, user)
        return render_pdf(generator.template, context | {"konsep": True}), file_name(generator, dossier, "")
    if current.is_final:
        return record.served_bytes(current), current.final_name
    return record.render(current, dossier, user, konsep=True), current.document.original_name


def generate_with_defaults(dossier, user, kind: str, at=None):
    """Make a document as an officer who accepts the form's suggested wording would (the demo data)."""
    generator = GENERATORS[kind]
    form = generator.form(generator.form.posted_defaults(dossier), dossier=dossier)
    if not form.is_valid():
        raise ValueError(f"{kind}: {form.errors.as_text()}")
    dossier.refresh_from_db()
    return generate(dossier, user, kind, form, revision=dossier.revision, at=at)
