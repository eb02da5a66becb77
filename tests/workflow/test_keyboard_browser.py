"""In Chromium, as an officer who uses only the keyboard or a screen reader, on a phone and a desktop:
a refused form opens at what must be fixed, each error leading to its field."""

import re

import pytest

from tests.browser import DESKTOP, PHONE, open_menu
from workflow import demo
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_a_refused_disposition_new_dossier_or_delegation_opens_at_its_errors(people, sign_in, viewport):
    """These three forms opened again at the top of the page with nothing said: the keyboard had to
    find the errors beside their fields, Tab by Tab, a screen reader heard only the title."""
    from playwright.sync_api import expect

    dossier = demo.walk_to(demo.open_dossier(people, 2027, "Dosier uji"), people, STEP_BY_NUMBER[1].state)
    summary = None
    with sign_in("kasubag", viewport=viewport) as page:
        summary = page.locator("#ringkasan-kesalahan")
        page.goto(f"/dosier/{dossier.pk}/disposisi/")
        page.get_by_role("button", name="Beri disposisi").click()
        expect(page).to_have_title(re.compile(r"^Kesalahan: Beri disposisi"))
        expect(summary).to_be_focused()
        summary.get_by_role("link", name="Instruksi: Tulis instruksinya.").click()
        expect(page.get_by_role("textbox", name="Instruksi")).to_be_focused()

        page.goto("/dosier/baru/")
        page.get_by_label("Judul").fill("")
        page.get_by_role("button", name="Kosongkan").click()
        page.get_by_role("button", name="Buat dosier").click()
        expect(page).to_have_title(re.compile(r"^Kesalahan: Dosier baru"))
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link", name=re.compile(r"^Judul: "))).to_be_visible()
        # The agencies' choice leads to the top of the picker, read out as its group.
        summary.get_by_role("link", name=re.compile(r"^SKPD yang diundang: ")).click()
        expect(page.get_by_role("group", name="SKPD yang diundang")).to_be_focused()
    with sign_in("kabag", viewport=viewport) as page:
        page.goto("/pelimpahan/")
        page.get_by_role("button", name="Simpan pelimpahan").click()
        expect(page).to_have_title(re.compile(r"^Kesalahan: Pelimpahan wewenang"))
        expect(summary).to_be_focused()
        summary.get_by_role("link", name=re.compile(r"^Mulai: ")).click()
        expect(page.get_by_label("Mulai")).to_be_focused()


def test_a_refused_password_change_says_so_first_and_asks_for_every_password_again(people, sign_in):
    """Refused for a mistyped repeat, the page opened with the cursor in 'Kata sandi lama' (the form's
    autofocus), its title unchanged: a screen reader heard an empty field, not that nothing was
    changed nor why; the error sat two fields further down."""
    from playwright.sync_api import expect

    with sign_in("staf", viewport=PHONE) as page:
        page.goto("/kata-sandi/")
        page.get_by_label("Kata sandi lama").fill("sopiku-demo")
        page.get_by_label("Kata sandi baru", exact=True).fill("Pontianak-Khatulistiwa-77")
        page.get_by_label("Ulangi kata sandi baru").fill("Pontianak-Khatulistiwa-78")
        page.get_by_role("button", name="Ganti kata sandi").click()
        expect(page).to_have_title(re.compile(r"^Kesalahan: Ganti kata sandi"))
        summary = page.locator("#ringkasan-kesalahan")
        expect(summary).to_be_focused()
        # Nothing typed is kept on this page: the summary does not say that it is.
        expect(summary).to_contain_text("ketik lagi setiap kata sandi")
        expect(summary).not_to_contain_text("tetap ada")
        summary.get_by_role("link", name=re.compile(r"^Ulangi kata sandi baru: ")).click()
        expect(page.get_by_label("Ulangi kata sandi baru")).to_be_focused()


def test_the_phone_menu_closes_with_escape_and_gives_the_keyboard_back_to_its_button(people, sign_in):
    """Opened from the keyboard, the Menu stayed open over the page whatever key was pressed in it:
    only its own button closed it again, Shift+Tab by Shift+Tab back from the links."""
    from playwright.sync_api import expect

    with sign_in("kabag", viewport=PHONE) as page:
        menu = page.locator("header.top summary")
        nav = page.get_by_role("navigation", name="Menu utama")
        # sign_in left it open, as a finger does to reach "Keluar".
        expect(nav).to_be_visible()
        menu.focus()
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(menu).to_be_focused()
        # From a link of the open menu too.
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        expect(nav.get_by_role("link").first).to_be_focused()
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(menu).to_be_focused()


def test_each_versions_link_of_the_rounds_table_names_its_stage_and_agency(people, sign_in):
    """The agencies' table on the dossier page and the dashboard had a 'versi' link per agency and
    stage: a screen reader's list of links read 'versi, versi, versi, versi', none saying whose."""
    from playwright.sync_api import expect

    dossier = demo.walk_to(demo.open_dossier(people, 2027, "Dosier uji"), people, STEP_BY_NUMBER[7].state)
    with sign_in("kabag", viewport=PHONE) as page:
        for url in (f"/dosier/{dossier.pk}/", "/dasbor/"):
            page.goto(url)
            table = page.locator("table.round-matrix")
            expect(table.get_by_role("link", name="versi", exact=True)).to_have_count(0)
            link = table.get_by_role("link", name="versi Bahan penyusunan IKU Dinas Kesehatan", exact=True)
            expect(link).to_be_visible()
            # On the screen it still reads "versi".
            expect(link).to_have_text(re.compile(r"^versi"))
            assert link.locator(".visually-hidden").bounding_box()["width"] <= 1
            expect(table.get_by_role("link", name="versi Konsep IKU Dinas Sosial", exact=True)).to_have_count(1)


def test_on_a_phone_what_opens_a_folded_part_is_a_fingers_height(people, sign_in):
    """The Kabag reviewing a draft sent back once found its 'Versi sebelumnya (1)' 20 px high, a line
    of small print a finger misses or takes the link above it for."""
    from playwright.sync_api import expect

    dossier = demo.walk_to(demo.open_dossier(people, 2027, "Dosier uji"), people, STEP_BY_NUMBER[7].state, returns=1)
    with sign_in("kabag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/")
        earlier = page.locator("details.versi-lama > summary").first
        expect(earlier).to_contain_text("Versi sebelumnya")
        assert earlier.bounding_box()["height"] >= 43.5


def test_a_refused_row_of_the_provincial_table_puts_the_cursor_in_the_refused_field(people, sign_in):
    """The Kasubag's change to a row of the provincial IKU table, refused for an emptied indicator,
    opened at the row with the keyboard at the top of the page, and the field's error was a line
    beside it that nothing tied to it: the field read out as a plain empty box."""
    from playwright.sync_api import expect

    dossier = demo.walk_to(demo.open_dossier(people, 2027, "Dosier uji"), people, STEP_BY_NUMBER[6].state)
    with sign_in("kasubag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/")
        row = page.locator("article.consolidated-row").first
        row.locator("summary").click()
        row.get_by_label("Indikator Kinerja Utama").fill("")
        row.get_by_role("button", name=re.compile(r"^Simpan perubahan baris")).click()
        row = page.locator("article.consolidated-row").first
        expect(row.get_by_role("alert")).to_contain_text("belum disimpan")
        field = row.get_by_label("Indikator Kinerja Utama")
        expect(field).to_be_focused()
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(r"wajib diisi"))
        # With the row open, the sign-out's "Keluar" names one button (the row's read "Keluarkan baris").
        open_menu(page)
        expect(page.get_by_role("button", name=re.compile(r"^Keluar"))).to_have_count(1)


def test_each_control_of_the_provincial_table_names_the_row_or_agency_it_moves(people, sign_in):
    """A screen reader's list of buttons on the provincial table read 'Simpan perubahan baris',
    'Naikkan baris', 'Turunkan baris' once per row, and 'Turunkan' per agency, none saying which."""
    from playwright.sync_api import expect

    dossier = demo.walk_to(demo.open_dossier(people, 2027, "Dosier uji"), people, STEP_BY_NUMBER[6].state)
    with sign_in("kasubag", viewport=DESKTOP) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/")
        expect(page.get_by_role("button", name="Turunkan Dinas Kesehatan", exact=True)).to_be_visible()
        second = page.locator("article.consolidated-row").nth(1)
        second.locator("summary").click()
        for name in ("Simpan perubahan baris 2", "Simpan komentar 2", "Naikkan baris 2", "Turunkan baris 2",
                     "Hapus baris 2 dari tabel IKU Provinsi"):
            expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
        # On the screen the button reads as before.
        expect(second.get_by_role("button", name="Naikkan baris 2")).to_have_text(re.compile(r"^Naikkan baris"))
        page.goto(f"/dosier/{dossier.pk}/")
