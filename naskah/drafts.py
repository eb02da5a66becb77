"""What a document not yet signed prints as it stands (KONSEP), rendered once per content and kept.

A draft's print depends on more than its own record: its paraf boxes fill in as officials initial
it, the IKU table changes while agencies correct their rows, the letterhead may be edited. Rather
than track each, a print is kept under the SHA-256 of all it is made from (render.fingerprint): the
same content is rendered once and served from storage, any change gives a new key. A kind that can
run to dozens of pages (Generator.background: the decree's Lampiran) is rendered by the worker
(naskah.prints asks naskah.jobs), and the page says it is being prepared instead of waiting.

The files are a cache under halaman/ in the document store (filestore)<key>/ beside the page images (naskah.pages): no row
refers to them, so remove_orphan_files clears old ones and a backup leaves them out.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from naskah import record
from naskah.generators import GENERATORS
from naskah.models import konsep_name
from naskah.render import fingerprint, render_pdf
from workflow.models import Document

FOLDER = "halaman"


@dataclass(frozen=True)
class Konsep:
    kind: str
    template: str
    context: dict
    # The file name a download offers.
    name: str
    # Where its print is kept.
    key: str

    @property
    def path(self) -> str:
        return path_of(self.key)


def path_of(print_key: str) -> str:
    return f"{FOLDER}/{print_key}/dokumen.pdf"


def key(template: str, context: dict) -> str:
    # "k": a draft's print, beside the folders of signed documents named by their own SHA-256.
    return "k" + fingerprint(template, context)


def of_record(made, dossier, user) -> Konsep:
    generator = GENERATORS[made.document.kind]
    context = record.context(made, dossier, user, konsep=True)
    return Konsep(made.document.kind, generator.template, context, made.konsep_name,
                  key(generator.template, context))


def default(dossier, kind, user) -> Konsep:
    """The form's default wording with the number left blank, for a kind whose document was
    uploaded rather than made here: the uploaded file carries the real number."""
    generator = GENERATORS[kind]
    uploaded = Document.objects.filter(dossier=dossier, kind=kind).order_by("-uploaded_at", "-pk").first()
    since = uploaded.uploaded_at if uploaded else dossier.created_at
    context = generator.context(dossier, generator.form.defaults(dossier), "", since, user) | {"konsep": True}
    return Konsep(kind, generator.template, context, konsep_name(generator.file_name(dossier, "")),
                  key(generator.template, context))


def current(dossier, kind, user) -> Konsep | None:
    """The draft of `kind` as it prints now; None once the latest made here is signed."""
    made = record.latest(dossier, kind)
    if made is None:
        return default(dossier, kind, user)
    return None if made.is_final else of_record(made, dossier, user)


def stored(konsep: Konsep) -> bytes | None:
    if not default_storage.exists(konsep.path):
        return None
    with default_storage.open(konsep.path, "rb") as kept:
        return kept.read()


def store(print_key: str, pdf: bytes) -> None:
    path = path_of(print_key)
    # Two renders of the same content give the same bytes: the first one kept is as good.
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(pdf))


def render(konsep: Konsep, on_phase=None) -> bytes:
    data = render_pdf(konsep.template, konsep.context, on_phase)
    store(konsep.key, data)
    return data


def pdf(konsep: Konsep, *, in_worker: bool = False) -> bytes | None:
    """The print: from storage, else rendered now; None for a long one (Generator.background) that
    is not stored yet, unless the worker is asking: a request asks the worker for it
    (naskah.prints)."""
    kept = stored(konsep)
    if kept is not None:
        return kept
    if GENERATORS[konsep.kind].background and not in_worker:
        return None
    return render(konsep)
