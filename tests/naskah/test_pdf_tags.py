"""The documents a blind official reads before initialling or signing are tagged PDFs: a screen
reader reads them in order, the title as a heading, the header block and the Lampiran as tables
whose columns are headed, the points as a list, the QR code by what it is; still PDF/A-2b."""

from iku.models import IkuRow
from naskah import record
from tests.factories import client_for
from tests.naskah import tagged
from tests.naskah.helpers import generate, initialled, stored_pdf
from tests.naskah.test_pdfa import assert_pdfa_2b
from workflow import demo, services
from workflow.models import Skpd
from workflow.steps import DocKind


def of_kind(elements, kind):
    return [element for element in elements if element.kind == kind]


def assert_every_figure_named(elements):
    figures = of_kind(elements, "Figure")
    assert figures and all(figure.alt for figure in figures), figures


def test_the_signed_nota_reads_in_order_with_its_title_a_heading_and_its_points_a_list(people, walk):
    dossier = initialled(people, walk)
    demo.finish(dossier, people["kabiro"])
    signed = record.served_bytes(record.latest(dossier, DocKind.NOTA_DINAS))
    assert tagged.marked(signed) == (True, "id")
    assert_pdfa_2b(signed)
    elements = tagged.read(signed)
    [title] = of_kind(elements, "H1")
    assert title.text == "NOTA DINAS"
    # Read as it is printed: the letterhead, then the title, then the header block.
    order = [e.text for e in elements if e.depth == 1]
    kop = next(n for n, text in enumerate(order) if "BIRO KESEJAHTERAAN RAKYAT" in text)
    assert kop < order.index("NOTA DINAS") < next(n for n, text in enumerate(order) if text.startswith("Yth. :"))
    rows = [row.text for row in of_kind(elements, "TR")]
    assert "Yth. : Asisten Pemerintahan dan Kesejahteraan Rakyat" in rows
    assert any(row.startswith("Hal : ") for row in rows)
    [points] = [e for e in of_kind(elements, "L") if len(of_kind(e.children, "LI")) >= 3]
    assert "Dalam rangka penetapan Indikator Kinerja Utama" in points.children[0].text
    assert_every_figure_named(elements)
    assert "Kode QR verifikasi keaslian naskah" in {figure.alt for figure in of_kind(elements, "Figure")}


def test_the_draft_decrees_lampiran_is_a_table_with_headed_columns(people, walk):
    dossier = initialled(people, walk)
    pdf = stored_pdf(dossier, DocKind.DRAFT_KEPGUB)
    assert tagged.marked(pdf) == (True, "id")
    elements = tagged.read(pdf)
    assert any(h.text.startswith("INDIKATOR KINERJA UTAMA PERANGKAT DAERAH") for h in of_kind(elements, "H1"))
    headings = {th.text for th in of_kind(elements, "TH")}
    assert {"Indikator Kinerja Utama", "Target", "Satuan"} <= headings, headings
    cells = {td.text for td in of_kind(elements, "TD")}
    indicator = IkuRow.objects.filter(submission__dossier=dossier).first().indikator
    assert indicator in cells
    assert_every_figure_named(elements)


def test_a_letters_list_of_agencies_has_its_heading(people):
    invited = list(Skpd.objects.active().order_by("pk")[:5]) + [people["dinkes"].skpd]
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Undangan banyak SKPD", invited=invited)
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    elements = tagged.read(stored_pdf(dossier, DocKind.UNDANGAN))
    assert [h.text for h in of_kind(elements, "H1")] == ["DAFTAR PERANGKAT DAERAH YANG DITUJU"]
