"""Each line an officer types as the letter's added text is a paragraph of its own, indented as the
letter's other paragraphs: typed as lines of one paragraph, only the first was indented. However long
the text, the signature never stands on a page of its own."""

import pypdfium2

from naskah.render import render_pdf
from tests.factories import client_for
from tests.naskah.helpers import generate, stored_pdf
from tests.naskah.test_lampiran_layout import joined, letter_context, read
from workflow.steps import STEP_BY_NUMBER, DocKind


def starts_at(pdf: bytes, words: str) -> float:
    page = pypdfium2.PdfDocument(pdf)[0]
    text = page.get_textpage()
    searcher = text.search(words)
    index, _ = searcher.get_next()
    return text.get_charbox(index)[0]


def test_each_typed_line_is_an_indented_paragraph(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    typed = "Mohon tabel diisi lengkap sesuai kolom.\nNarahubung kami adalah Sekretariat Biro."
    assert generate(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD, isi_tambahan=typed).status_code == 302
    pdf = stored_pdf(dossier, DocKind.SURAT_SKPD)
    assert starts_at(pdf, "Narahubung kami") == starts_at(pdf, "Mohon tabel diisi")


def test_the_signature_never_stands_alone_on_a_page():
    # Added text of a page's length in steps of two lines: where the text ended in the last lines of
    # the page, the signature went to the next one alone, under nothing the signer had written.
    template = "naskah/surat_skpd.html"
    context = letter_context(template, "A4")
    context |= {"terlampir": False, "tujuan": context["tujuan"][:3], "lampiran": "-"}
    overflowed = 0
    for length in range(800, 1700, 160):
        typed = ("Koordinasi dilakukan melalui aplikasi SOP-IKU. " * 40)[:length]
        pages = [joined(pieces) for pieces in read(render_pdf(template, context | {"isi_tambahan": [typed]}))]
        signed = next(text for text in pages if "Nama Uji" in text)
        assert "diucapkan terima kasih" in signed, length
        overflowed += len(pages) > 1
    assert overflowed
