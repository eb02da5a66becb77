"""Making a document as the step's output, and printing the latest one again as it stands now."""

import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, NumberingRule, SerialCounter
from naskah.render import render_pdf
from workflow import services
from workflow.actions import Action
from workflow.models import Document

PDF = "application/pdf"


def file_name(generator, dossier, nomor: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9.]+", "-", nomor).strip("-.")
    return f"{generator.prefix}-{dossier.tahun}" + (f"-{safe}" if safe else "") + ".pdf"


def allocate(kind: str, year: int) -> str:
    """The next number of `kind` in `year` by its admin-set pattern; "" for a kind not numbered here
    (the draft decree, whose number the Governor's office gives)."""
    penomoran = NumberingRule.objects.filter(kind=kind).first()
    if penomoran is None:
        return ""
    return penomoran.format(SerialCounter.next(kind, year), year)


def generate(dossier, user, kind: str, form, *, revision: int):
    """Render the document from a valid form and store it through services.perform (UNGGAH), so the
    step's gate counts it exactly like an upload. The number is taken in the same transaction:
    refused or stale, the number is not used up."""
    generator = GENERATORS[kind]
    document = None
    try:
        with transaction.atomic():
            nomor = allocate(kind, form.tanggal_naskah().year)
            context = generator.context(dossier, form.cleaned_data, nomor, timezone.now(), user)
            pdf = render_pdf(generator.template, context)
            document = Document(
                dossier=dossier, kind=kind, original_name=file_name(generator, dossier, nomor),
                content_type=PDF, size=len(pdf), generated=True,
                keterangan=nomor or f"{generator.judul.removeprefix('Buat ')} (nomor diberikan saat penetapan)",
            )
            document.file.save(document.original_name, ContentFile(pdf), save=False)
            event = services.perform(dossier, user, Action.UNGGAH, revision=revision, document=document)
            NaskahRecord.objects.create(document=document, nomor=nomor, isian=form.isian())
    except BaseException:
        # The row is rolled back; the file written before it must go too.
        if document is not None and document.file:
            document.file.delete(save=False)
        raise
    return event, document


def reprint(dossier, kind, user) -> tuple[bytes, str]:
    """The latest document of `kind` made here, with the paraf and signature it has now, printed from
    what the officer filled in. If none was made here (the officer uploaded one), the default wording
    with the number left blank: the uploaded file carries the real one."""
    generator = GENERATORS[kind]
    made = Document.objects.filter(dossier=dossier, kind=kind, generated=True, naskah__isnull=False)
    document = made.select_related("naskah").order_by("-uploaded_at", "-pk").first()
    data, nomor = None, ""
    if document is not None:
        form = generator.form(document.naskah.isian, dossier=dossier, today=timezone.localtime(document.uploaded_at).date())
        # A stored form may no longer validate (a signer's account removed): print the defaults.
        data = form.cleaned_data if form.is_valid() else None
        nomor = document.naskah.nomor
    else:
        document = Document.objects.filter(dossier=dossier, kind=kind).order_by("-uploaded_at", "-pk").first()
    since = document.uploaded_at if document else dossier.created_at
    context = generator.context(dossier, data or generator.form.defaults(dossier), nomor, since, user)
    return render_pdf(generator.template, context), file_name(generator, dossier, nomor)
