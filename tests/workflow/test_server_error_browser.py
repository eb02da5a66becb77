"""In Chromium: each everyday form driven into lock contention and into a server error (a write the
database finds busy, a write that fails; both forced by the tests' hook, tests/faults.py) keeps
everything typed: busy, the page's own form comes back whole saying "Basis data sedang sibuk"; on a
server error the error page gives it back in Indonesian and "Kirim lagi" sends it again once the
server answers, and what was typed is what is kept. The forms: the agency's IKU grid with its note,
the Kabag's return note, the new dossier, the correction of title and year."""

import re

import pytest
from django.conf import settings
from django.db.models import F

from iku.models import IkuSubmission
from tests.browser import PHONE, all_images_drawn, assert_fits_phone, screenshot
from tests.faults import BUSY, HEADER
from tests.iku.test_grid_browser import paste
from tests.iku.test_grid_forms_browser import LONG, NOTE, copied_rows
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RETURN_NOTE = "Target indikator Dinas Sosial belum terukur;\nmohon perbaiki lampiran draft dan Nota."


class ServerFails:
    """The page's POSTs carry the hook's header while on; each forced 500 is taken off the test's list
    of server errors once the page has been checked."""

    def __init__(self, page, server_errors):
        self.page, self.server_errors = page, server_errors

    def _press(self, button: str, failure: str, heading: str):
        from playwright.sync_api import expect

        def marked(route):
            if route.request.method == "POST":
                route.continue_(headers={**route.request.headers, HEADER.lower(): failure})
            else:
                route.continue_()

        all_images_drawn(self.page)
        self.page.route("**/*", marked)
        try:
            # The form's own page may come back under the heading it was sent from: the answer to
            # this POST is waited for, not a heading that was already there.
            with self.page.expect_response(lambda answer: answer.request.method == "POST"):
                self.page.get_by_role("button", name=button, exact=True).click()
            expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        finally:
            self.page.unroute("**/*")

    def busy(self, button: str, heading: str):
        """Press `button` with the database too busy; expect the page titled `heading` (the form's
        own) back, saying so."""
        from playwright.sync_api import expect

        self._press(button, BUSY, heading)
        expect(self.page.get_by_role("alert").filter(has_text="Basis data sedang sibuk")).to_have_count(1)

    def submit(self, button: str):
        """Press `button` with the server failing; expect the error page giving back the form."""
        from playwright.sync_api import expect

        self._press(button, "1", "Terjadi kesalahan pada server")
        expect(self.page.locator("main")).to_contain_text("Isian Anda belum tersimpan")
        forced = [e for e in self.server_errors if e.startswith("500 POST")]
        assert len(forced) == 1, self.server_errors
        self.server_errors.remove(forced[0])

    def again(self):
        all_images_drawn(self.page)
        self.page.get_by_role("button", name="Kirim lagi", exact=True).click()


@pytest.fixture
def failing(sign_in, server_errors):
    return lambda page: ServerFails(page, server_errors)


def test_the_iku_grid_and_its_note_come_back_from_a_busy_database_and_a_server_error_and_are_saved(
        walk, sign_in, failing):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()  # nothing typed or sent by an agency yet
    with sign_in("dinkes") as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/ajukan_iku/")
        paste(page, "[name='r-1-sasaran_strategis']", copied_rows())
        page.locator("#id_catatan").fill(NOTE)
        failing(page).busy("Simpan draf", "Isi dan kirim IKU")
        expect(page.locator("[name='r-5-sasaran_strategis']")).to_have_value(LONG)
        expect(page.locator("#id_catatan")).to_have_value(NOTE)
        page.locator("[name='r-7-indikator']").fill("Indikator 7 diisi sebelum dikirim")  # the one error pasted
        failing(page).busy("Isi dan kirim IKU", "Isi dan kirim IKU")
        expect(page.locator("[name='r-7-indikator']")).to_have_value("Indikator 7 diisi sebelum dikirim")
        expect(page.locator("[name='r-12-indikator']")).to_have_value(re.compile(r"^Indikator 12: "))
        expect(page.locator("#id_catatan")).to_have_value(NOTE)
        failing(page).submit("Simpan draf")
        # The grid comes back as one block to copy (a box per cell was three hundred boxes).
        expect(page.locator("#isian-tabel")).to_have_value(re.compile(re.escape(LONG)))
        expect(page.locator("#isian-tabel")).to_have_value(re.compile(r"\n\tIndikator 12: "))
        expect(page.get_by_label("Catatan untuk Biro Kesra")).to_have_value(NOTE)
        screenshot(page, "server-error-iku-grid-1280.png")
        assert not IkuSubmission.objects.filter(dossier=dossier).exists()
        failing(page).again()
        expect(page.locator(".msg")).to_contain_text("Draf disimpan: 12 baris")
        expect(page.locator("[name='r-5-sasaran_strategis']")).to_have_value(LONG)
        expect(page.locator("#id_catatan")).to_have_value(NOTE)
    draft = IkuSubmission.objects.get(dossier=dossier)
    assert len(draft.draft) == 12 and draft.draft_catatan == NOTE
    assert draft.submitted_at is None  # the send refused busy sent nothing


def test_the_kabags_return_note_comes_back_from_a_busy_database_and_a_server_error_on_a_phone(walk, people, sign_in, failing):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[7].state)
    with sign_in("kabag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        # The draft's page images are drawn as they are asked for: the test's in-memory SQLite lets one
        # request at a time write, so the note is sent once they are all there.
        all_images_drawn(page)
        page.locator("#id_catatan").fill(RETURN_NOTE)
        failing(page).busy("Kembalikan ke Kasubag", "Kembalikan ke Kasubag")
        expect(page.locator("#id_catatan")).to_have_value(RETURN_NOTE)
        assert_fits_phone(page, "the return form refused busy")
        failing(page).submit("Kembalikan ke Kasubag")
        expect(page.get_by_label("Catatan perbaikan")).to_have_value(RETURN_NOTE)
        assert_fits_phone(page, "the server error page")
        screenshot(page, "server-error-return-375.png")
        dossier.refresh_from_db()
        assert dossier.state == STEP_BY_NUMBER[7].state
        failing(page).again()
        expect(page.locator(".msg")).to_contain_text("Draft dikembalikan ke Kasubag dengan catatan: Target indikator")
    # A browser sends a textarea's line breaks as CRLF, the first time as the second.
    assert AuditEvent.objects.get(dossier=dossier, action="kembalikan").note == RETURN_NOTE.replace("\n", "\r\n")


def test_the_new_dossier_and_the_correction_come_back_from_each_refusal_and_a_server_error(people, dossier, sign_in, failing):
    from playwright.sync_api import expect

    with sign_in("kasubag") as page:
        page.goto("/dosier/baru/")
        page.locator("#id_tahun").fill("2031")
        page.locator("#id_judul").fill("IKU Perangkat Daerah Tahun 2031 (uji gagal)")
        page.get_by_role("button", name="Kosongkan").click()
        # Refused (no agency ticked): the year and title as typed, the error at the agencies.
        page.get_by_role("button", name="Buat dosier", exact=True).click()
        expect(page.locator("#id_invited_error")).to_contain_text("Pilih sedikitnya satu SKPD yang diundang.")
        expect(page.locator("#id_judul")).to_have_value("IKU Perangkat Daerah Tahun 2031 (uji gagal)")
        page.get_by_label("Dinas Kesehatan").check()
        failing(page).busy("Buat dosier", "Dosier baru")
        expect(page.locator("#id_judul")).to_have_value("IKU Perangkat Daerah Tahun 2031 (uji gagal)")
        expect(page.get_by_label("Dinas Kesehatan")).to_be_checked()
        expect(page.get_by_label("Dinas Sosial")).not_to_be_checked()
        failing(page).submit("Buat dosier")
        expect(page.get_by_label("Tahun IKU")).to_have_value("2031")
        expect(page.get_by_label("Judul")).to_have_value("IKU Perangkat Daerah Tahun 2031 (uji gagal)")
        assert not Dossier.objects.filter(tahun=2031).exists()
        failing(page).again()
        expect(page.locator(".msg")).to_have_text("Dosier “IKU Perangkat Daerah Tahun 2031 (uji gagal)” dibuat dan berada di langkah 1.")
        made = Dossier.objects.get(tahun=2031)
        assert [s.nama_pendek for s in made.invited.all()] == ["Dinas Kesehatan"]

        page.get_by_role("region", name="Tindakan Anda").get_by_role("link", name="Koreksi judul dan tahun").click()
        page.locator("#id_tahun").fill("2032")
        page.get_by_label("Alasan koreksi").fill("Tahun anggaran yang dimaksud 2032")
        # The dossier changes meanwhile (another tab's correction): the news, and the form as typed.
        Dossier.objects.filter(pk=made.pk).update(revision=F("revision") + 1)
        page.get_by_role("button", name="Koreksi judul dan tahun", exact=True).click()
        expect(page.locator(".errorlist").first).to_contain_text("Dosier ini sudah berubah")
        expect(page.locator("#id_tahun")).to_have_value("2032")
        expect(page.get_by_label("Alasan koreksi")).to_have_value("Tahun anggaran yang dimaksud 2032")
        failing(page).busy("Koreksi judul dan tahun", "Koreksi judul dan tahun")
        expect(page.locator("#id_tahun")).to_have_value("2032")
        expect(page.get_by_label("Alasan koreksi")).to_have_value("Tahun anggaran yang dimaksud 2032")
        failing(page).submit("Koreksi judul dan tahun")
        expect(page.get_by_label("Tahun IKU")).to_have_value("2032")
        expect(page.get_by_label("Judul")).to_have_value("IKU Perangkat Daerah Tahun 2032 (uji gagal)")
        expect(page.get_by_label("Alasan koreksi")).to_have_value("Tahun anggaran yang dimaksud 2032")
        failing(page).again()
        expect(page.locator(".msg")).to_contain_text("Judul dan tahun dikoreksi")
    made.refresh_from_db()
    assert (made.tahun, made.judul) == (2032, "IKU Perangkat Daerah Tahun 2032 (uji gagal)")


def test_a_note_sent_after_the_session_ended_is_given_back_to_copy_and_sent_after_signing_in(walk, people, sign_in):
    from playwright.sync_api import expect

    from tests.browser import PASSWORD

    dossier = walk(STEP_BY_NUMBER[7].state)
    with sign_in("kabag", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        all_images_drawn(page)
        page.locator("#id_catatan").fill(RETURN_NOTE)
        # The session ends while the page is open (idle for a working day, or signed out elsewhere).
        page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
        page.get_by_role("button", name="Kembalikan ke Kasubag", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sesi Anda telah berakhir")
        expect(page.get_by_label("Catatan perbaikan")).to_have_value(RETURN_NOTE)
        assert_fits_phone(page, "the session-ended page")
        screenshot(page, "session-ended-375.png")
        with page.context.expect_page() as opened:
            page.get_by_role("link", name="Buka lagi formulirnya di tab baru").click()
        form = opened.value
        form.locator("#id_username").fill("kabag")
        form.locator("#id_password").fill(PASSWORD)
        form.get_by_role("button", name="Masuk", exact=True).click()
        expect(form.get_by_role("heading", level=1)).to_have_text("Kembalikan ke Kasubag")
        all_images_drawn(form)
        form.locator("#id_catatan").fill(page.get_by_label("Catatan perbaikan").input_value())
        form.get_by_role("button", name="Kembalikan ke Kasubag", exact=True).click()
        expect(form.locator(".msg")).to_contain_text("Draft dikembalikan ke Kasubag dengan catatan: Target indikator")
        form.close()
        page.goto("/")  # signed in again in this tab too: the fixture signs out from here
    assert AuditEvent.objects.get(dossier=dossier, action="kembalikan").note == RETURN_NOTE.replace("\n", "\r\n")
