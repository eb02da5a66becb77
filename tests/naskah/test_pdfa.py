"""Documents of record are PDF/A-2b with every font embedded: the signed Nota, stamp included, and
the draft decree with its Lampiran look the same in any reader for as long as they are kept. Checked
as veraPDF's rules for these clauses check it: the XMP identification (pdfaid part 2, conformance
B), an output intent with an ICC profile (GTS_PDFA1), and a font program for every font used."""

import io
import re

from pypdf import PdfReader

from naskah import record
from tests.naskah.helpers import initialled, stored_pdf
from workflow import demo
from workflow.steps import DocKind


def fonts(reader: PdfReader, *, page_content: bool = True) -> dict:
    """{font name: whether its program is embedded} for every font on every page, in every form
    the page draws (the signature stamp's included) and every annotation's appearance."""
    found, seen = {}, set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None or part.get("/Subtype") != "/Type0":
                    descriptor = descriptor.get_object() if descriptor is not None else {}
                    found[str(part.get("/BaseFont"))] = any(
                        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if id(xobject) not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(id(xobject))
                walk(xobject.get("/Resources"))

    for page in reader.pages:
        if page_content:
            walk(page.get("/Resources"))
        for annot in page.get("/Annots", []):
            appearance = annot.get_object().get("/AP")
            if appearance is not None:
                normal = appearance.get_object()["/N"].get_object()
                walk(normal.get("/Resources"))
    return found


def assert_pdfa_2b(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")2", xmp) and re.search(r"pdfaid:conformance(>|=\")B", xmp), xmp[:500]
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object().get_data()
    used = fonts(reader)
    assert used and all(used.values()), used


def test_the_signed_nota_and_its_stamp_are_pdfa_2b_with_every_font_embedded(people, walk):
    dossier = initialled(people, walk)
    demo.finish(dossier, people["kabiro"])
    signed = record.served_bytes(record.latest(dossier, DocKind.NOTA_DINAS))
    assert_pdfa_2b(signed)
    # The visible stamp draws its text in a font of its own, embedded too.
    stamp = fonts(PdfReader(io.BytesIO(signed)), page_content=False)
    assert stamp and all(stamp.values()), stamp


def test_the_draft_decree_with_its_lampiran_is_pdfa_2b(people, walk):
    dossier = initialled(people, walk)
    assert_pdfa_2b(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
