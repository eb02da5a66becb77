"""A province's Nota counts its table as a letter writes a count: the figure with its thousands dot
and the count in words. Only 1 to 999 were spelled, so a round of 37 agencies and 1,406 indicators
read "dengan 1406 (1406) indikator"."""

from lib.terbilang import terbilang
from tests.iku.test_consolidation_province import add_agencies
from tests.naskah.helpers import cetak_pdf, pages
from workflow.steps import STEP_BY_NUMBER, DocKind


def test_the_nota_of_a_provinces_table_spells_a_count_past_a_thousand(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    add_agencies(people, dossier, count=12, rows=84)  # 2 + 1,008 rows
    nota = " ".join(pages(cetak_pdf(people, dossier, DocKind.NOTA_DINAS, "kasubag")))
    assert "dari 14 (empat belas) Perangkat Daerah dengan 1.010 (seribu sepuluh) indikator" in nota


def test_counts_in_words_past_a_thousand():
    assert [terbilang(n) for n in (1000, 1406, 2000, 11_000, 100_001, 1_250_000)] == [
        "seribu", "seribu empat ratus enam", "dua ribu", "sebelas ribu", "seratus ribu satu",
        "satu juta dua ratus lima puluh ribu"]
