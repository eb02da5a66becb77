"""The dossier page's links to the documents the app makes: "Buat ..." where the user may make one
now, "Cetak ..." beside the step that produced the Nota and the draft decree."""

from django import template

from naskah import cosign, jobs, pages, prints
from naskah.generators import GENERATORS, PRINTABLE
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


def review_item(dossier, kind, user) -> dict | None:
    """One reviewed document as _tinjau_item.html shows it: its pages, or how far the worker is in
    rendering them; None if there is none the user may see."""
    found = pages.current(dossier, kind, user)
    if found is None or not policy.can_view_document(user, found.document):
        return None
    count = prints.page_count(found, dossier, user)
    return {
        "dossier": dossier, "kind": kind, "label": DocKind(kind).label, "found": found,
        "pages": range(1, count + 1) if count is not None else None,
        "proses": jobs.progress(jobs.printing(found.konsep)) if count is None else None,
        # A draft made here prints as it stands; an uploaded one is its own file.
        "printable": kind in PRINTABLE and getattr(found.document, "naskah", None) is not None,
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


def being_made(dossier, user) -> dict:
    """New versions the worker is making for this dossier, with their progress, and the last that
    failed, as naskah/_disiapkan.html shows them."""
    found = jobs.for_dossier(dossier) if policy.can_print(user, dossier) else []
    items = [{"p": jobs.progress(job), "buat": policy.can_generate(user, job.kind, dossier)} for job in found]
    return {"dossier": dossier, "items": items, "berjalan": any(item["p"].berjalan for item in items)}


@register.inclusion_tag("naskah/_disiapkan.html", takes_context=True)
def naskah_disiapkan(context, dossier):
    return being_made(dossier, context["request"].user)
