"""The dossier page's links to the documents the app makes: "Buat ..." where the user may make one
now, "Cetak ..." beside the step that produced the Nota and the draft decree."""

import math
from dataclasses import dataclass

from django import template

from naskah import cosign, jobs, pages, prints
from naskah.generators import GENERATORS, PRINTABLE
from naskah.lacking import lacking
from workflow import policy
from workflow.steps import DocKind, Signatory

register = template.Library()


@register.inclusion_tag("naskah/_buat.html", takes_context=True)
def naskah_buat(context, dossier):
    user = context["request"].user
    step = dossier.step
    kinds = [k for k in (step.produces if step else ()) if k in GENERATORS and policy.can_generate(user, k, dossier)]
    return {"dossier": dossier, "items": [(k, GENERATORS[k].judul) for k in kinds]}


@register.inclusion_tag("naskah/_tandatangani.html", takes_context=True)
def naskah_tandatangani(context, document):
    """A link to sign `document` beside its first signer, for the person it waits for (naskah.cosign)."""
    made = document.made
    user = context["request"].user
    allowed = cosign.signing_as(user, made) if made is not None and made.is_final and cosign.names(made, user) else None
    return {"document": document, "sebagai": Signatory(allowed[0]).label if allowed else ""}


@register.inclusion_tag("naskah/_cetak.html", takes_context=True)
def naskah_cetak(context, dossier, step):
    user = context["request"].user
    kinds = [k for k in step.produces if k in PRINTABLE]
    if not kinds or not policy.can_print(user, dossier):
        kinds = []
    return {"dossier": dossier, "items": [(k, DocKind(k).label) for k in kinds]}


@dataclass(frozen=True)
class Halaman:
    """One page image as a page shows it: its number from 1, and its size in pixels, which the
    <img> reserves before the image arrives (a landscape Lampiran page is wider than it is tall)."""

    nomor: int
    lebar: int
    tinggi: int


def page_images(found: pages.Current, dossier, user) -> list[Halaman] | None:
    """The page images of `found` as naskah.pages renders them, each with its size; None while the
    worker is still rendering it, [] for a file no page image is made of. The PDF is read once,
    for its count and its sizes alike."""
    data = pages.pdf_bytes(found)
    if data is None:
        # A long print not kept yet: asked of the worker, which has made it already where tasks
        # run at once.
        if prints.page_count(found, dossier, user) is None:
            return None
        data = pages.pdf_bytes(found)
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return []
    try:
        # pdfium sizes a rendered page as math.ceil(points x scale), turned as the page is.
        sizes = [pdf.get_page_size(index) for index in range(len(pdf))]
    finally:
        pdf.close()
    return [Halaman(number, math.ceil(width * pages.scale_for(width, height)),
                    math.ceil(height * pages.scale_for(width, height)))
            for number, (width, height) in enumerate(sizes, start=1)]


def review_item(dossier, kind, user) -> dict | None:
    """One reviewed document as _tinjau_item.html shows it: its pages, or how far the worker is in
    rendering them; None if there is none the user may see."""
    found = pages.current(dossier, kind, user)
    if found is None or not policy.can_view_document(user, found.document):
        return None
    shown = page_images(found, dossier, user)
    # A draft made here prints as it stands; an uploaded one is its own file.
    printable = kind in PRINTABLE and getattr(found.document, "naskah", None) is not None
    return {
        "dossier": dossier, "kind": kind, "label": DocKind(kind).label, "found": found,
        "pages": shown,
        "proses": jobs.progress(jobs.printing(found.konsep)) if shown is None else None,
        "printable": printable,
        # What the reviewer initials without (an emblem, unchecked rules), as its form said it.
        "kurang": lacking(kind, GENERATORS[kind].penandatangan, user) if printable and not found.final else [],
    }


@register.inclusion_tag("naskah/_tinjau.html", takes_context=True)
def naskah_tinjau(context, dossier):
    """The current Nota and draft decree, page by page, on the pages where a step reviews them."""
    user = context["request"].user
    step = dossier.step
    items = []
    if step is not None and step.reviews and policy.can_print(user, dossier):
        items = [item for item in (review_item(dossier, kind, user) for kind in step.reviews) if item is not None]
    return {"dossier": dossier, "items": items}


# A made document's first page as pdfium renders an A4 portrait page (naskah.pages.SCALE).
A4_PORTRAIT = Halaman(1, 893, 1263)


@register.simple_tag
def halaman_verifikasi(version, now, all_pages: bool) -> list[Halaman]:
    """The page images the public verification page shows (naskah.views_verify), with their sizes.
    By default it shows the first page alone, loaded at once: that page stands, as every made
    document's first does, and is reserved as A4 (its real size would cost a draft's whole context
    built again, on a page anyone may load). Every page, loaded as the reader scrolls, each reserve
    their own size, a landscape Lampiran's among them."""
    if not all_pages:
        return [A4_PORTRAIT]
    from naskah.views_verify import shown_pages

    return page_images(shown_pages(version, now), version.record.document.dossier, None) or []


def being_made(dossier, user) -> dict:
    """New versions the worker is making for this dossier, with their progress, and the last that
    failed, as naskah/_disiapkan.html shows them."""
    found = jobs.for_dossier(dossier) if policy.can_print(user, dossier) else []
    items = [{"p": jobs.progress(job), "buat": policy.can_generate(user, job.kind, dossier)} for job in found]
    return {"dossier": dossier, "items": items, "berjalan": any(item["p"].berjalan for item in items)}


@register.inclusion_tag("naskah/_disiapkan.html", takes_context=True)
def naskah_disiapkan(context, dossier):
    return being_made(dossier, context["request"].user)
