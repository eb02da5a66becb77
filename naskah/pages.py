"""A document's pages as PNG images, so a reviewer reads the Nota and the draft on any phone,
without a PDF viewer, right above the paraf and signing buttons.

Rendered once per version (pypdfium2) and kept under MEDIA_ROOT/halaman/<key>/: a signed document
by its SHA-256, a draft by its record and the dossier's revision (its paraf boxes fill as the
dossier moves), an uploaded PDF by its row. They are a cache: no row refers to them, so
`remove_orphan_files` clears the old ones and a backup leaves them out.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from naskah import record
from naskah.render import PDF_CONTENT_TYPE
from workflow.models import Document

FOLDER = "halaman"
# 1.5 x 72 dpi: an A4 page 893 px wide, sharp on a phone, ~150 KB.
SCALE = 1.5


@dataclass(frozen=True)
class Current:
    """The version of one kind a reviewer sees now."""

    document: Document
    key: str
    # Signed (its frozen bytes) rather than a draft.
    final: bool
    versi: int

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.key}"


def current(dossier, kind) -> Current | None:
    document = (Document.objects.filter(dossier=dossier, kind=kind).select_related("naskah")
                .order_by("-uploaded_at", "-pk").first())
    if document is None:
        return None
    made = getattr(document, "naskah", None)
    if made is None:
        if document.content_type != PDF_CONTENT_TYPE:
            return None
        return Current(document, f"d{document.pk}", False, 1)
    if made.is_final:
        return Current(document, made.final_sha256, True, made.versi)
    return Current(document, f"n{made.pk}-r{dossier.revision}", False, made.versi)


def pdf_bytes(found: Current, dossier, user) -> bytes:
    """The PDF the images are made from: a stored file as it is, a draft rendered once per key."""
    made = getattr(found.document, "naskah", None)
    stored = found.document.file if made is None else made.final_file if made.is_final else None
    if stored is not None:
        with stored.open("rb") as kept:
            return kept.read()
    path = f"{found.folder}/dokumen.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as kept:
            return kept.read()
    data = record.render(made, dossier, user, konsep=True)
    default_storage.save(path, ContentFile(data))
    return data


def _opened(found: Current, dossier, user):
    """The PDF opened with pdfium; None for an uploaded file that is no readable PDF (it is offered
    for download all the same)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf_bytes(found, dossier, user))
    except pypdfium2.PdfiumError:
        return None
    # A signed document's visible signature stamp is a form field: drawn only with forms loaded.
    document.init_forms()
    return document


def page_count(found: Current, dossier, user) -> int:
    pdf = _opened(found, dossier, user)
    return len(pdf) if pdf is not None else 0


def page_png(found: Current, dossier, user, number: int) -> bytes | None:
    """Page `number` (from 1) as PNG; None past the last page or for an unreadable file."""
    path = f"{found.folder}/{number}.png"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as kept:
            return kept.read()
    pdf = _opened(found, dossier, user)
    if pdf is None or not 1 <= number <= len(pdf):
        return None
    out = io.BytesIO()
    pdf[number - 1].render(scale=SCALE).to_pil().save(out, "PNG")
    default_storage.save(path, ContentFile(out.getvalue()))
    return out.getvalue()
