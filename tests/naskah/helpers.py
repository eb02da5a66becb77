"""Helpers for the document tests: fill a generator's form as an officer would, read a PDF back."""

import io

from pypdf import PdfReader, PdfWriter

from naskah.generators import GENERATORS
from tests.factories import client_for
from workflow.steps import DocKind


def form_data(dossier, kind, **overrides) -> dict:
    """The form's own defaults as the browser would post them, plus `overrides`."""
    data = GENERATORS[kind].form.posted_defaults(dossier)
    dossier.refresh_from_db()
    return data | {"revision": dossier.revision, "state": dossier.state} | overrides


def generate(client, dossier, kind, **overrides):
    return client.post(f"/dosier/{dossier.pk}/buat/{kind}/", form_data(dossier, kind, **overrides))


def initialled(people, walk):
    """A new dossier at step 8: its Nota and draft decree made at step 6 with the form's wording and
    initialled by the Kasubag and the Kabag, waiting for the Kabiro's signature."""
    from tests.factories import client_for
    from workflow import demo
    from workflow.steps import STEP_BY_NUMBER, DocKind

    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    for username in ("kasubag", "kabag"):
        demo.finish(dossier, people[username])
    return dossier


def signed_nota(people, walk):
    """(dossier, the Nota's draft print): a dossier whose Nota was made at step 6 and signed by the
    Kabiro at step 8, and the KONSEP print read before the signature."""
    from workflow import demo

    dossier = initialled(people, walk)
    draft = cetak_pdf(people, dossier)
    demo.finish(dossier, people["kabiro"])
    return dossier, draft


def pages(pdf: bytes) -> list[str]:
    """Each page's text with whitespace collapsed, so a wrapped line still reads as one phrase."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def stored_pdf(dossier, kind) -> bytes:
    document = dossier.documents.filter(kind=kind, generated=True).latest("uploaded_at")
    with document.file.open("rb") as handle:
        return handle.read()


def cetak_pdf(people, dossier, kind=DocKind.NOTA_DINAS, username="kabag") -> bytes:
    """The draft print of `kind` as `username` downloads it now (/cetak/)."""
    response = client_for(people, username).get(f"/dosier/{dossier.pk}/cetak/{kind}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def altered(pdf: bytes) -> bytes:
    """The same pages written out again with other metadata: reads alike, bytes differ."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": "Salinan yang diubah"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
