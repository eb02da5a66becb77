"""A document's pages as PNG images, so a reviewer reads the Nota and the draft on any phone,
without a PDF viewer, right above the paraf and signing buttons.

Rendered once per version (pypdfium2) and kept under halaman/ in the document store (filestore)<key>/: a signed document
by its SHA-256, a draft by the fingerprint of its print as it stands (naskah.drafts), an uploaded
PDF by its row. They are a cache: no row refers to them, so `remove_orphan_files` clears the old
ones and a backup leaves them out.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from naskah import drafts
from naskah.render import PDF_CONTENT_TYPE
from workflow.models import Document

FOLDER = drafts.FOLDER
# 1.5 x 72 dpi: an A4 page 893 px wide, sharp on a phone, 50-100 KB (a palette PNG, _png).
SCALE = 1.5
# The longest side of a page image in pixels: an A3 page at SCALE (1787 px) keeps SCALE. A page
# far larger is drawn down to it: a phone's photo made into a PDF (macOS Preview, ImageMagick, many
# "JPG to PDF" tools) has a page of 4032 x 3024 points, which rendered at SCALE took seconds and
# 300 MB and gave the reviewer a PNG of 17 MB for one page.
MAX_SIDE = 2000


def scale_for(width: float, height: float) -> float:
    """The scale a page of `width` x `height` points is rendered at."""
    return min(SCALE, MAX_SIDE / max(width, height, 1))


@dataclass(frozen=True)
class Current:
    """The version of one kind a reviewer sees now."""

    document: Document
    key: str
    # Signed (its frozen bytes) rather than a draft.
    final: bool
    versi: int
    # A draft made here: its print as it stands.
    konsep: drafts.Konsep | None = None

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.key}"

    def page_path(self, number: int) -> str:
        return f"{self.folder}/{number}.png"


def current(dossier, kind, user) -> Current | None:
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
    konsep = drafts.of_record(made, dossier, user)
    return Current(document, konsep.key, False, made.versi, konsep)


def pdf_bytes(found: Current, *, in_worker: bool = False) -> bytes | None:
    """The PDF the images are made from: a stored file as it is, a draft's print (drafts.pdf: None
    for a long one not rendered yet)."""
    if found.konsep is not None:
        return drafts.pdf(found.konsep, in_worker=in_worker)
    stored = found.document.naskah.final_file if found.final else found.document.file
    with stored.open("rb") as kept:
        return kept.read()


# An uploaded file that is no readable PDF: offered for download all the same.
UNREADABLE = object()


def _opened(found: Current, *, in_worker: bool = False):
    """The PDF opened with pdfium; None while it is being prepared, UNREADABLE if pdfium cannot."""
    import pypdfium2

    data = pdf_bytes(found, in_worker=in_worker)
    if data is None:
        return None
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return UNREADABLE
    # A signed document's visible signature stamp is a form field: drawn only with forms loaded.
    document.init_forms()
    return document


def page_count(found: Current) -> int | None:
    """How many pages; None while the worker is still rendering it."""
    pdf = _opened(found)
    if pdf is None:
        return None
    return 0 if pdf is UNREADABLE else len(pdf)


def _png(pdf, number: int) -> bytes:
    out = io.BytesIO()
    page = pdf[number - 1]
    image = page.render(scale=scale_for(*page.get_size())).to_pil()
    # A palette of 256 colours, not full colour: a Kabag reviews the Nota and the draft decree on a
    # phone over 3G, paying per megabyte, and a full-colour PNG of one page was 110-280 KB. A
    # generated page is black text on white with grey edges, 256 colours or fewer, which the palette
    # keeps exactly (median cut) at a third of the bytes; a page with more (a colour emblem, the
    # signature stamp, a scan) is drawn in its 256 nearest, alike to the eye at this size.
    colours = image.getcolors(256)
    if colours is not None and all(r == g == b for _, (r, g, b) in colours):
        # A page of greys only (every generated page, most scans) is its grey levels exactly, at a
        # quarter of the median cut's time: the worker prepares each page of a 40-page decree.
        image = image.convert("L").convert("P")
    else:
        image = image.quantize(256)
    image.save(out, "PNG")
    return out.getvalue()


def page_png(found: Current, number: int) -> bytes | None:
    """Page `number` (from 1) as PNG; None past the last page, for an unreadable file, or while it is
    being prepared."""
    path = found.page_path(number)
    if page_stored(found, number):
        with default_storage.open(path, "rb") as kept:
            return kept.read()
    pdf = _opened(found)
    if pdf is None or pdf is UNREADABLE or not 1 <= number <= len(pdf):
        return None
    png = _png(pdf, number)
    default_storage.save(path, ContentFile(png))
    return png


def page_stored(found: Current, number: int) -> bool:
    return default_storage.exists(found.page_path(number))


def prerender(dossier, kind, user, on_page=None) -> None:
    """Every page image of the current version, made by the worker so the reviewer's page finds them;
    `on_page()` is called after each (the worker's sign of life, naskah.jobs.STALLED_AFTER)."""
    found = current(dossier, kind, user)
    if found is None:
        return
    pdf = _opened(found, in_worker=True)
    if pdf is None or pdf is UNREADABLE:
        return
    for number in range(1, len(pdf) + 1):
        path = found.page_path(number)
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(_png(pdf, number)))
        if on_page is not None:
            on_page()
