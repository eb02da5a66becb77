"""In Chromium: the bureau's IKU table with long texts folded fits 1280 and 375 px (at 375 each
row's card too, one with a long address in its Sumber Data) and opens a text whole; the version
comparison and the pages of a document under review are readable on a phone."""

import pytest

from tests.browser import DESKTOP, PHONE, assert_fits_phone, no_horizontal_scroll, screenshot, widest_elements
from tests.factories import client_for
from tests.iku.test_round import send
from tests.naskah.helpers import generate
from workflow.steps import STEP_BY_NUMBER, DocKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LONG = ("Meningkatnya derajat kesehatan masyarakat melalui pemerataan akses dan mutu pelayanan kesehatan dasar "
        "dan rujukan, penguatan promotif dan preventif, pengendalian penyakit menular dan tidak menular, serta "
        "pemenuhan sumber daya manusia kesehatan di seluruh kabupaten dan kota di Provinsi Kalimantan Barat")
# One unbreakable text, as an agency cites its data source.
URL = "https://data.kalbarprov.go.id/dataset/profil-kesehatan-provinsi-kalimantan-barat-2026/resource/ikk_rsud.xlsx"


def assert_cards_fit_phone(page, what):
    """Every card of the page's stacked tables within the phone's width: a table inside its
    .table-wrap scrolls there sideways, which the page's own width does not show."""
    wide = page.evaluate("""() => [...document.querySelectorAll('table.stack tr')]
        .filter(tr => tr.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(tr => `${Math.round(tr.getBoundingClientRect().width)} px: ${tr.innerText.slice(0, 60)}`)""")
    assert not wide, f"{what}: cards wider than the phone: {wide[:3]}"


def test_the_konsep_table_folds_long_texts_and_fits_a_desktop_and_a_phone(people, walk, sign_in):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [
        {"sasaran_strategis": LONG if n % 4 == 0 else "", "indikator": f"Indikator {n}: {LONG[:150]}",
         "penjelasan": LONG, "formula": LONG[:250], "satuan": "persen", "target": f"{70 + n},5 (2027)",
         "sumber_data": URL if n == 5 else ""}
        for n in range(28)
    ])
    with sign_in("kasubag") as page:
        page.goto(f"/dosier/{dossier.pk}/iku/konsep/")
        width, inner = no_horizontal_scroll(page)
        assert width <= inner, f"the Konsep table scrolls sideways at 1280: {width}; {widest_elements(page)}"
        folded_height = page.evaluate("document.documentElement.scrollHeight")
        first = page.locator("details.long-text").first
        expect(first.locator(".more")).to_have_text("selengkapnya")
        first.locator("summary").click()
        expect(first).to_have_attribute("open", "")
        expect(first).to_contain_text(LONG[-40:])
        # Each link loads the page again: wait for the other link before measuring what it loaded.
        page.get_by_role("link", name="Tampilkan semua teks lengkap").click()
        expect(page.get_by_role("link", name="Ringkas teks panjang")).to_be_visible()
        whole_height = page.evaluate("document.documentElement.scrollHeight")
        assert folded_height * 1.5 < whole_height, (folded_height, whole_height)
        page.set_viewport_size(PHONE)
        page.get_by_role("link", name="Ringkas teks panjang").click()
        expect(page.get_by_role("link", name="Tampilkan semua teks lengkap")).to_be_visible()
        assert_fits_phone(page, "the Konsep table")
        assert_cards_fit_phone(page, "the Konsep table")
        assert page.viewport_size == PHONE and DESKTOP != PHONE


def test_the_version_comparison_fits_a_phone(people, walk, sign_in):
    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "150", "penjelasan": LONG}])
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140", "penjelasan": LONG[::-1]},
                                     {"indikator": "Prevalensi stunting", "formula": "x" * 120}])
    with sign_in("kasubag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/")
        assert "Diubah 1" in page.content()
        assert_fits_phone(page, "the version comparison")
        screenshot(page, "iku-versions-375.png")


def test_a_page_under_review_opens_full_size_on_a_phone(people, walk, sign_in):
    dossier = walk(STEP_BY_NUMBER[6].state)
    assert generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS).status_code == 302
    with sign_in("kasubag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/selesaikan/")
        assert_fits_phone(page, "the paraf page")
        link = page.locator(".tinjau a.halaman-penuh").first
        image = link.locator("img.halaman")
        assert link.get_attribute("href") == image.get_attribute("src")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shown, full = image.evaluate("img => [img.clientWidth, img.naturalWidth]")
        # Shown to fit the phone, and opened at more than twice that size: small print readable.
        assert shown <= PHONE["width"] and full >= 2 * shown, (shown, full)
