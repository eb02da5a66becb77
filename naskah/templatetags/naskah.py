"""The dossier page's links to the documents the app makes: "Buat ..." where the user may make one
now, "Cetak ..." beside the step that produced the Nota and the draft decree."""

from django import template

from naskah import pages
from naskah.generators import GENERATORS, PRINTABLE
from workflow import policy
from workflow.steps import DocKind

register = template.Library()


@register.inclusion_tag("naskah/_buat.html", takes_context=True)
def naskah_buat(context, dossier):
    user = context["request"].user
    step = dossier.step
    kinds = [k for k in (step.produces if step else ()) if k in GENERATORS and policy.can_generate(user, k, dossier)]
    return {"dossier": dossier, "items": [(k, GENERATORS[k].judul) for k in kinds]}


@register.inclusion_tag("naskah/_cetak.html", takes_context=True)
def naskah_cetak(context, dossier, step):
    user = context["request"].user
    kinds = [k for k in step.produces if k in PRINTABLE]
    if not kinds or not policy.can_print(user, dossier):
        kinds = []
    return {"dossier": dossier, "items": [(k, DocKind(k).label) for k in kinds]}


@register.inclusion_tag("naskah/_tinjau.html", takes_context=True)
def naskah_tinjau(context, dossier):
    """The current Nota and draft decree, page by page, on the pages where a step reviews them."""
    user = context["request"].user
    step = dossier.step
    items = []
    if step is not None and step.reviews and policy.can_print(user, dossier):
        for kind in step.reviews:
            found = pages.current(dossier, kind)
            if found is None or not policy.can_view_document(user, found.document):
                continue
            items.append({
                "kind": kind, "label": DocKind(kind).label, "found": found,
                "pages": range(1, pages.page_count(found, dossier, user) + 1),
                # A draft made here prints as it stands; an uploaded one is its own file.
                "printable": kind in PRINTABLE and getattr(found.document, "naskah", None) is not None,
            })
    return {"dossier": dossier, "items": items}
