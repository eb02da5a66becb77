"""In Chromium on a 375 px phone: an agency pastes ten rows copied from a spreadsheet into the grid,
fixes the one the server refuses, and sends."""

import re

import pytest

from iku.models import IkuSubmission
from tests.browser import PHONE, assert_fits_phone, screenshot
from workflow.steps import IkuStage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "Sasaran Strategis\tIndikator Kinerja Utama\tPenjelasan\tFormula\tSatuan\tTarget\tSumber Data\tPenanggung Jawab"


def copied_block() -> str:
    """Ten rows as Excel puts them on the clipboard: tabs, CRLF, a quoted cell with a line break,
    the Sasaran only where it changes, and row 7 without its indicator."""
    lines = [HEADER]
    for n in range(1, 11):
        sasaran = f"Sasaran {n // 4 + 1}" if n % 4 == 1 else ""
        indikator = "" if n == 7 else f"Indikator {n}"
        formula = '"Baris satu\nbaris dua"' if n == 2 else f"Rumus {n}"
        lines.append("\t".join([sasaran, indikator, "", formula, "persen", f"{70 + n},5 (2027)", "Laporan", "Bidang"]))
    return "\r\n".join(lines) + "\r\n"


def paste_data(page, selector, flavours):
    """A paste into the element as the browser dispatches one, the clipboard holding `flavours`
    ({type: text}); where the page's script lets it through, the browser's own pasting of the plain
    text is done as it would."""
    page.locator(selector).evaluate(
        """(el, flavours) => { const data = new DataTransfer();
           for (const [type, value] of Object.entries(flavours)) data.setData(type, value);
           const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
           if (el.dispatchEvent(event)) el.setRangeText(data.getData('text/plain'), el.selectionStart, el.selectionEnd, 'end'); }""",
        flavours,
    )


def paste(page, selector, text):
    paste_data(page, selector, {"text/plain": text})


def test_an_agency_pastes_ten_rows_on_a_phone_fixes_one_and_sends(blank_konsep, sign_in):
    from playwright.sync_api import expect

    dossier = blank_konsep
    with sign_in("dinkes", viewport=PHONE) as page:
        page.goto(dossier.grid_url)
        paste(page, "[name='r-1-sasaran_strategis']", copied_block())
        expect(page.locator("[name='r-10-indikator']")).to_have_value("Indikator 10")
        expect(page.locator("[name='r-2-formula']")).to_have_value("Baris satu\nbaris dua")
        expect(page.locator("[name='r-5-sasaran_strategis']")).to_have_value("Sasaran 2")
        assert_fits_phone(page, "the IKU grid")
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()

        # Refused at its row; everything pasted is still there.
        expect(page.locator("[name='r-7-indikator']")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("tr.iku-row").nth(6)).to_contain_text("Indikator kinerja utama wajib diisi.")
        expect(page.locator("[name='r-9-indikator']")).to_have_value("Indikator 9")
        screenshot(page, "iku-grid-375.png")
        page.locator("[name='r-7-indikator']").fill("Indikator 7")
        page.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/dosier/{dossier.pk}/$"))
        expect(page.locator(".msg")).to_contain_text("10 indikator (versi 1)")

    submission = IkuSubmission.objects.get(dossier=dossier, stage=IkuStage.KONSEP)
    rows = list(submission.rows.all())
    assert [r.indikator for r in rows] == [f"Indikator {n}" for n in range(1, 11)]
    assert rows[1].formula == "Baris satu\nbaris dua" and rows[0].target_periode == "2027"


def test_rows_are_added_moved_and_removed_on_the_page(blank_konsep, sign_in):
    from playwright.sync_api import expect

    dossier = blank_konsep
    with sign_in("dinsos") as page:
        page.goto(dossier.grid_url)
        rows = page.locator("tr.iku-row")
        before = rows.count()
        page.get_by_role("button", name="Tambah baris").click()
        expect(rows).to_have_count(before + 1)
        page.locator("[name='r-1-indikator']").fill("Pertama")
        page.locator("[name='r-2-indikator']").fill("Kedua")
        page.locator("[name='r-3-indikator']").fill("Dibuang")
        rows.nth(1).get_by_role("button", name="Naikkan baris").click()
        rows.nth(2).get_by_role("button", name="Hapus baris").click()
        expect(page.locator("[name='r-1-indikator']")).to_have_value("Kedua")
        page.get_by_role("button", name="Simpan draf", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("Draf disimpan: 2 baris")
    draft = IkuSubmission.objects.get(dossier=dossier).draft
    assert [row["indikator"] for row in draft] == ["Kedua", "Pertama"]


def test_by_keyboard_a_deleted_row_keeps_the_cursor_in_place_and_the_error_links_follow_their_cells(
        blank_konsep, sign_in):
    from playwright.sync_api import expect

    dossier = blank_konsep
    with sign_in("dinsos") as page:
        page.goto(dossier.grid_url)
        page.locator("[name='r-1-indikator']").fill("Pertama")
        page.locator("[name='r-2-indikator']").fill("Kedua")
        page.locator("[name='r-3-target']").fill("75")  # no indicator: refused beside the cell
        page.get_by_role("button", name="Simpan draf", exact=True).click()
        summary = page.locator("#ringkasan-kesalahan")
        expect(summary).to_be_focused()
        expect(summary.locator("a[href='#r-3-indikator']")).to_contain_text("Baris 3")
        expect(page.locator("#r-3-indikator")).to_have_attribute("aria-describedby", re.compile("r-3-indikator-salah"))

        page.get_by_role("button", name="Hapus baris 1", exact=True).press("Enter")
        # The cursor is on the button of the row now first; what happened is said.
        expect(page.get_by_role("button", name="Hapus baris 1", exact=True)).to_be_focused()
        expect(page.locator("#kabar-baris")).to_have_text(re.compile(r"^Baris 1 dihapus; \d+ baris tersisa\.$"))
        link = summary.locator("a[href='#r-2-indikator']")
        expect(link).to_contain_text("Baris 2")
        link.click()
        expect(page.locator("[name='r-2-indikator']")).to_be_focused()
        expect(page.locator("[name='r-2-target']")).to_have_value("75")
        expect(page.locator("#r-2-indikator")).to_have_attribute("aria-describedby", re.compile("r-2-indikator-salah"))


def test_a_refused_action_form_puts_the_keyboard_at_its_summary(walk, sign_in):
    from playwright.sync_api import expect

    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[7].state)
    with sign_in("kabag") as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        page.get_by_role("button", name="Kembalikan ke Kasubag").click()
        expect(page.locator("#ringkasan-kesalahan")).to_be_focused()
        expect(page).to_have_title(re.compile("^Kesalahan: "))
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # the summary's link to the note
        expect(page.locator("#id_catatan")).to_be_focused()
