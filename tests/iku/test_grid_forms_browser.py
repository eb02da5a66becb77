"""In Chromium at 1280 and 375 px: the agency's IKU page driven into each kind of refusal (an XLSX
refused, a row without its indicator, a page gone stale) keeps the grid and the note as typed; the
errors come first, linked to their cell; at 1280 every column and row button is on screen, at 375
each row is a card; a paste keeps a cell's paragraphs whole; a refused decree record names the
scan to choose again."""

import re

import pytest

from iku.models import IkuSubmission
from tests.browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    assert_fits_phone,
    no_horizontal_scroll,
    screenshot,
    widest_elements,
)
from tests.iku.test_grid_browser import paste, paste_data
from workflow.models import Dossier
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTE = "Catatan untuk Biro Kesra yang diketik sebelum ditolak"
# About 300 characters, as real Sasaran and Penjelasan run.
LONG = ("Meningkatnya derajat kesehatan masyarakat melalui pemerataan akses dan mutu pelayanan kesehatan dasar "
        "dan rujukan, penguatan promotif dan preventif, pengendalian penyakit menular dan tidak menular, serta "
        "pemenuhan sumber daya manusia kesehatan di seluruh kabupaten dan kota di Provinsi Kalimantan Barat")


def copied_rows(count=12, missing=7) -> str:
    """Rows as Excel puts them on the clipboard (tabs, CRLF), long texts, one row without indicator."""
    lines = []
    for n in range(1, count + 1):
        lines.append("\t".join([
            LONG if n % 4 == 1 else "", "" if n == missing else f"Indikator {n}: {LONG[:120]}", LONG[:200],
            f"Rumus {n}", "persen", f"{70 + n},5 (2027)", "" if n % 3 else "Profil Kesehatan", "Bidang Yankes",
        ]))
    return "\r\n".join(lines) + "\r\n"


def open_grid(page, dossier):
    page.goto(dossier.grid_url)
    paste(page, "[name='r-1-sasaran_strategis']", copied_rows())
    page.locator("#id_catatan").fill(NOTE)


def assert_typed_kept(page):
    from playwright.sync_api import expect

    expect(page.locator("[name='r-12-indikator']")).to_have_value(re.compile(r"^Indikator 12: Meningkatnya"))
    expect(page.locator("[name='r-5-sasaran_strategis']")).to_have_value(LONG)
    expect(page.locator("#id_catatan")).to_have_value(NOTE)


def assert_fits(page, viewport, what):
    width, inner = no_horizontal_scroll(page)
    assert width <= inner, f"{what} scrolls sideways at {inner} px: {width}; widest: {widest_elements(page)}"
    assert inner == viewport["width"]


def assert_desktop_layout(page):
    """Every column and the ↑ ↓ Hapus buttons of a row are on screen; a long text is read whole."""
    for header in page.locator("table.iku-grid thead th").all():
        box = header.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], header.inner_text()
    for name in ("Naikkan baris", "Turunkan baris", "Hapus baris"):
        box = page.locator("tr.iku-row").first.get_by_role("button", name=name).bounding_box()
        assert box["x"] + box["width"] <= DESKTOP["width"], name
    sasaran = page.locator("[name='r-1-sasaran_strategis']")
    assert sasaran.evaluate("a => a.scrollHeight <= a.clientHeight + 2"), "the long Sasaran is cut"


def assert_phone_cards(page):
    """One card per row, one under the other, its buttons on screen."""
    cards = page.locator("tr.iku-row")
    assert cards.first.evaluate("tr => getComputedStyle(tr).display") == "block"
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["width"] <= PHONE["width"] and second["y"] >= first["y"] + first["height"]
    for name in ("Naikkan baris", "Turunkan baris", "Hapus baris"):
        box = cards.first.get_by_role("button", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_every_refusal_keeps_the_grid_and_the_note_and_names_the_cell(blank_konsep, sign_in, viewport):
    from playwright.sync_api import expect

    dossier = blank_konsep
    width = viewport["width"]
    layout = assert_desktop_layout if viewport == DESKTOP else assert_phone_cards
    with sign_in("dinkes", viewport=viewport) as page:
        open_grid(page, dossier)
        assert_fits(page, viewport, "the IKU grid")
        layout(page)

        # An XLSX the server refuses: its problem at the upload field, the grid and the note untouched.
        page.locator("#berkas").set_input_files(
            {"name": "iku.xlsx", "mimeType": "application/octet-stream", "buffer": b"bukan berkas xlsx"})
        page.get_by_role("button", name="Muat berkas ke tabel").click()
        expect(page.locator("#berkas-masalah")).to_contain_text("Berkas rusak atau bukan arsip yang dapat dibaca.")
        expect(page.locator("#berkas-masalah")).to_contain_text("tabel dan catatan di bawah tetap seperti yang Anda ketik")
        assert_typed_kept(page)

        # A row without its indicator: the summary at the top names row and column and jumps to the cell.
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
        summary = page.locator("#ringkasan-kesalahan")
        link = summary.get_by_role("link", name="Baris 7, kolom Indikator Kinerja Utama: Indikator kinerja utama wajib diisi.")
        expect(link).to_be_visible()
        assert summary.bounding_box()["y"] < page.locator("table.iku-grid").bounding_box()["y"]
        expect(page.locator(".warning-summary details.quiet").first).to_contain_text("baris tanpa sumber data")
        per_row = page.locator("#peringatan-per-baris")
        per_row.locator("summary").click()
        expect(per_row.locator("li").first).to_contain_text("Baris 1: tanpa sumber data")
        assert_typed_kept(page)
        assert_fits(page, viewport, "the refused IKU grid")
        layout(page)
        screenshot(page, f"iku-grid-refused-{width}.png")
        summary.screenshot(path=str(ARTIFACTS / f"iku-error-summary-{width}.png"))
        link.click()
        expect(page.locator("#r-7-indikator")).to_be_focused()
        expect(page.locator("#r-7-indikator")).to_be_in_viewport()

        # The page goes stale (the round moved on meanwhile): the news, and the grid as typed.
        Dossier.objects.filter(pk=dossier.pk).update(state=STEP_BY_NUMBER[4].state)
        page.locator("#r-7-indikator").fill("Indikator 7 diketik sesudahnya")
        page.get_by_role("button", name="Simpan draf", exact=True).click()
        expect(page.locator("#ringkasan-kesalahan")).to_contain_text("Dosier ini sudah berubah sejak halaman Anda dibuka")
        expect(page.locator("#r-7-indikator")).to_have_value("Indikator 7 diketik sesudahnya")
        assert_typed_kept(page)
    assert not IkuSubmission.objects.filter(dossier=dossier).exists()


def test_a_refused_decree_record_names_the_scan_to_choose_again(walk, sign_in):
    from playwright.sync_api import expect

    dossier = walk("di_gubernur")
    with sign_in("staf", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/catat_penetapan/")
        page.get_by_label("Nomor Keputusan Gubernur").fill("188.4/55/HK/2027")
        page.get_by_label("Pindaian Keputusan yang ditandatangani").set_input_files(
            {"name": "kepgub-ttd.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"})
        page.get_by_role("button", name="Catat penetapan Gubernur").click()
        expect(page.locator("#id_tanggal_kepgub_error")).to_contain_text("Tanggal Keputusan Gubernur wajib diisi.")
        expect(page.get_by_label("Nomor Keputusan Gubernur")).to_have_value("188.4/55/HK/2027")
        expect(page.locator("#id_pindaian_lagi")).to_contain_text(
            "Berkas “kepgub-ttd.pdf” yang tadi Anda pilih belum tersimpan karena formulir ini belum diterima: "
            "pilih lagi berkasnya sebelum mengirim.")
        assert_fits_phone(page, "the decree form")


WORD_PARAGRAPHS = "Paragraf pertama dari Word.\r\n\r\nParagraf kedua, masih sel yang sama.\r\n"
EXCEL_HTML = """<html><head><style>td {mso-number-format:"\\@";}</style></head><body><table>
<tr><td>Sasaran Strategis</td><td>Indikator Kinerja Utama</td><td>Penjelasan</td></tr>
<tr><td rowspan="2">Sasaran A</td><td>Indikator satu</td><td>Baris satu<br style="mso-data-placement:same-cell">baris dua</td></tr>
<tr><td>Indikator dua</td><td>Tanpa&nbsp;jeda</td></tr>
</table></body></html>"""
WORD_TABLE_HTML = """<table class=MsoTableGrid><tr><td><p class=MsoNormal>Sasaran B</p></td>
<td><p class=MsoNormal>Indikator tiga</p></td><td><p class=MsoNormal>Alinea satu.</p>
<p class=MsoNormal>Alinea dua.</p></td></tr></table>"""


def test_a_paste_keeps_a_cells_paragraphs_whole(blank_konsep, sign_in):
    from playwright.sync_api import expect

    dossier = blank_konsep
    with sign_in("dinsos") as page:
        page.goto(dossier.grid_url)
        rows = page.locator("tr.iku-row")
        before = rows.count()
        # Two paragraphs from Word (plain text, no table): one cell, as the browser pastes it.
        paste_data(page, "[name='r-1-penjelasan']", {"text/plain": WORD_PARAGRAPHS})
        expect(page.locator("[name='r-1-penjelasan']")).to_have_value(WORD_PARAGRAPHS.replace("\r\n", "\n"))
        expect(page.locator("[name='r-2-penjelasan']")).to_have_value("")
        # A range from Excel: its HTML holds a Sasaran merged over two rows and a cell's line break.
        paste_data(page, "[name='r-2-sasaran_strategis']", {
            "text/html": EXCEL_HTML,
            "text/plain": "Sasaran Strategis\tIndikator\tPenjelasan\r\nSasaran A\tIndikator satu\t\"Baris satu\nbaris dua\"\r\n",
        })
        expect(page.locator("[name='r-2-sasaran_strategis']")).to_have_value("Sasaran A")
        expect(page.locator("[name='r-2-penjelasan']")).to_have_value("Baris satu\nbaris dua")
        expect(page.locator("[name='r-3-sasaran_strategis']")).to_have_value("")
        expect(page.locator("[name='r-3-indikator']")).to_have_value("Indikator dua")
        expect(page.locator("[name='r-3-penjelasan']")).to_have_value("Tanpa jeda")
        # A table from Word: each paragraph of a cell is a line of that cell.
        paste_data(page, "[name='r-4-sasaran_strategis']", {"text/html": WORD_TABLE_HTML,
                                                            "text/plain": "Sasaran B\tIndikator tiga\tAlinea satu.\r\nAlinea dua.\r\n"})
        expect(page.locator("[name='r-4-penjelasan']")).to_have_value("Alinea satu.\nAlinea dua.")
        expect(page.locator("[name='r-5-indikator']")).to_have_value("")
        # Excel's plain text alone (no HTML): quoted cells keep their line breaks.
        paste_data(page, "[name='r-5-sasaran_strategis']", {"text/plain": 'Sasaran C\tIndikator empat\t"Satu\nDua"\r\n'})
        expect(page.locator("[name='r-5-penjelasan']")).to_have_value("Satu\nDua")
        expect(rows).to_have_count(before)
        page.get_by_role("button", name="Simpan draf", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("Draf disimpan: 5 baris")
    draft = IkuSubmission.objects.get(dossier=dossier).draft
    assert [row["indikator"] for row in draft] == ["", "Indikator satu", "Indikator dua", "Indikator tiga", "Indikator empat"]
    assert draft[0]["penjelasan"] == "Paragraf pertama dari Word.\n\nParagraf kedua, masih sel yang sama."
