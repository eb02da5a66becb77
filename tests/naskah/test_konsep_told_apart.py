"""A draft's print and its signed document open in two tabs: the PDF's title (what a viewer's tab and
window show) and the name a download offers said the same for both ("Nota Dinas 000.7/1/..."). The
draft's now say KONSEP, as its pages do; the signed one's are as they were."""

import io

from pypdf import PdfReader

from tests.factories import client_for
from tests.naskah.helpers import initialled
from workflow import demo
from workflow.steps import DocKind


def title(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).metadata.title


def test_the_draft_says_konsep_in_its_title_and_file_name_and_the_signed_one_does_not(people, walk):
    dossier = initialled(people, walk)
    kabag = client_for(people, "kabag")
    document = dossier.documents.get(kind=DocKind.NOTA_DINAS, generated=True)
    nomor, stem = document.keterangan, document.original_name.removesuffix(".pdf")

    draft = kabag.get(f"/dosier/{dossier.pk}/cetak/{DocKind.NOTA_DINAS}/")
    assert title(draft.content) == f"KONSEP Nota Dinas {nomor}"
    assert draft["Content-Disposition"] == f'inline; filename="{stem}-KONSEP.pdf"'
    # The file as made at step 6, downloaded from the dossier page, is a draft too.
    made = kabag.get(f"/dokumen/{document.pk}/")
    assert made["Content-Disposition"] == f'attachment; filename="{stem}-KONSEP.pdf"'
    assert title(b"".join(made.streaming_content)) == f"KONSEP Nota Dinas {nomor}"

    demo.finish(dossier, people["kabiro"])
    signed = kabag.get(f"/dosier/{dossier.pk}/cetak/{DocKind.NOTA_DINAS}/")
    assert title(signed.content) == f"Nota Dinas {nomor}"
    assert signed["Content-Disposition"] == f'inline; filename="{stem}-final.pdf"'
    download = kabag.get(f"/dokumen/{document.pk}/")
    assert download["Content-Disposition"] == f'attachment; filename="{stem}-final.pdf"'
