"""Each line an officer types as the letter's added text is a paragraph of its own, indented as the
letter's other paragraphs: typed as lines of one paragraph, only the first was indented."""

import pypdfium2

from tests.factories import client_for
from tests.naskah.helpers import generate, stored_pdf
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
