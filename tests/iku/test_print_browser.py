"""The bureau's IKU tables printed (Ctrl+P on A4) for a meeting: every text whole, every column on
the sheet."""

import re

import pytest

from tests.browser import printed
from tests.iku.test_round import send
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG = ("Meningkatnya derajat kesehatan masyarakat melalui pemerataan akses dan mutu pelayanan kesehatan dasar "
        "dan rujukan, penguatan promotif dan preventif, pengendalian penyakit menular dan tidak menular, serta "
        "pemenuhan sumber daya manusia kesehatan di seluruh kabupaten dan kota di Provinsi Kalimantan Barat")
# One unbreakable text, as an agency cites its data source.
URL = "https://data.kalbarprov.go.id/dataset/profil-kesehatan-provinsi-kalimantan-barat-2026/resource/ikk_rsud.xlsx"


def words(sheets) -> str:
    return " ".join(" ".join(sheets).split())


@pytest.mark.parametrize("username", ["kabag", "dinkes"])
def test_a_long_text_folded_on_screen_prints_whole(people, walk, sign_in, username):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [{"indikator": "Usia harapan hidup", "penjelasan": LONG, "target": "74,5"}])
    with sign_in(username) as page:
        page.goto(f"/dosier/{dossier.pk}/iku/konsep/")
        expect(page.locator("details.long-text .more")).to_have_text("selengkapnya")
        text = words(printed(page))
    # Folded, the sheet carried the text's first 140 characters and "selengkapnya", a link paper lacks.
    assert "selengkapnya" not in text, text
    assert re.sub(r"\s", "", LONG) in re.sub(r"\s", "", text), text


def test_the_ten_columns_print_across_the_sheet_none_cut_at_the_edge(people, walk, sign_in):
    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [
        {"sasaran_strategis": LONG if n == 0 else "", "indikator": f"Indikator {n}: {LONG[:150]}", "penjelasan": LONG,
         "formula": LONG[:250], "satuan": "persen", "target": f"{70 + n},5 (2027)",
         "sumber_data": URL if n == 1 else "Profil Kesehatan", "penanggung_jawab": "Bidang Pelayanan Kesehatan"}
        for n in range(6)
    ])
    with sign_in("kabag") as page:
        sheets = []
        text = words(printed(page, f"/dosier/{dossier.pk}/iku/konsep/", sizes=sheets))
    assert all(width > height for width, height in sheets), sheets
    # Cut at the right edge the last heading read "Pena Jawa" and its cells "Bida Pelay Kese".
    assert "Penanggung Jawab" in text and text.count("Bidang Pelayanan Kesehatan") == 6, text
    assert re.sub(r"\s", "", URL) in re.sub(r"\s", "", text), text


def test_a_long_table_prints_one_agency_saying_so_or_whole_from_its_link(people, walk, sign_in):
    """Past WHOLE_TABLE_ROWS the page shows one agency's rows: Ctrl+P there printed them as if they
    were the table. The sheet says whose rows it holds and where the whole table prints from."""
    from tests.iku.test_consolidation_province import AGENCIES, ROWS, add_agencies

    dossier = walk(STEP_BY_NUMBER[7].state)
    fifth = add_agencies(people, dossier)[4]
    with sign_in("kabag") as page:
        one = words(printed(page, f"/dosier/{dossier.pk}/iku/bahan/?skpd={fifth.skpd_id}"))
        whole = words(printed(page, f"/dosier/{dossier.pk}/iku/bahan/?skpd=semua"))
    assert f"Lembar ini memuat IKU {fifth.skpd.nama_pendek} saja, {ROWS} dari {2 + AGENCIES * ROWS} baris" in one, one
    assert "SKPD dalam tabel" not in one and "Dinas Kesehatan" not in one, one
    assert "Lembar ini memuat" not in whole and "SKPD dalam tabel" not in whole
    assert whole.count(f"ke-{ROWS}") == AGENCIES, whole[-2000:]
