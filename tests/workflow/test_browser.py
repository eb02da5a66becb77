"""End to end in a real browser: Debian's Chromium, driven by Playwright, against the live server.

One dossier goes from the invitation (step 1) to the recorded decree only by clicks and typing, each
role signing in through the login form in turn: the Kasubag opens it, the Staf uploads what each step
needs (read from `workflow.steps`), the two invited agencies send their IKU table twice, the Kabag
returns the draft once with a note, and so on. A second test checks that an agency with nothing to do
sees no action buttons and gets the Indonesian 403 page for a typed action URL.

The walk runs at 1280 px and again at 375 px (a phone): there, every page a role acts on is measured
(nothing scrolls sideways) and each kept once as a screenshot. Screenshots of the final dossier page,
the Kabag's inbox and the return notice the Kasubag reads go to `test-artifacts/` at the repository
root. Without /usr/bin/chromium the tests skip, unless SOP_REQUIRE_BROWSER is set (CI), where they fail.
"""

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from lib.dates import long_date
from tests.browser import DESKTOP, PHONE, all_images_drawn, assert_fits_phone, open_menu, screenshot
from workflow.actions import ACTION_LABELS, CREATE, TRANSITION_ACTIONS, Action
from workflow.models import AuditEvent, Dossier, Skpd
from workflow.roles import Role
from workflow.steps import (
    DI_GUBERNUR,
    SELESAI,
    STATE_LABELS,
    STEP_BY_NUMBER,
    STEPS,
    DocKind,
    IkuStage,
    next_state,
    now_at,
)
from workflow.views.timeline import LATEST

# Who presses a step's button in this walk: the first actor's demo user, except that the Staf records
# the forwarding at step 9 (where both Kasubag and Staf may).
USER_OF_ROLE = {Role.KASUBAG: "kasubag", Role.KABAG: "kabag", Role.KABIRO: "kabiro", Role.STAF: "staf"}
AGENCIES = ("dinkes", "dinsos")
RETURN_NOTE = "Formula indikator Dinas Sosial belum terukur; perbaiki lampiran draft dan Nota."
DECREE_NUMBER = "100.3.3.1/77/HK/2027"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def pdf(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    return path


# Where the lead collects the screenshots the issue asks for (the return notice); skipped if absent.
SHOTS = Path("/work/wt/shots")


class Walk:
    """One dossier walked through the pages at one width; remembers every action for the history
    check. On a phone, every page a role acts on is measured and kept as a screenshot."""

    def __init__(self, people, tmp_path, viewport=DESKTOP):
        from playwright.sync_api import expect

        self.expect = expect
        self.people = people
        self.files = tmp_path
        self.viewport = viewport
        self.url = None
        self.history = []  # (username, action label, note), in order
        self.shot = set()  # what the phone walk has kept a screenshot of

    @property
    def phone(self) -> bool:
        return self.viewport == PHONE

    def look(self, page, what):
        """On a phone: the page as it is acted on fits the screen, and is kept as a screenshot the
        first time the walk comes to it (a full-page screenshot costs a tenth of a second and the
        walk comes to the upload form a dozen times)."""
        if not self.phone:
            return
        all_images_drawn(page)
        assert_fits_phone(page, f"{what} ({page.url})")
        if what in self.shot:
            return
        self.shot.add(what)
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:60]
        screenshot(page, f"walk-375/{len(self.shot):02d}-{slug}.png")

    def record(self, username, action, note=""):
        self.history.append((username, ACTION_LABELS[action], note))

    def open(self, page):
        """From the user's inbox ("Menunggu saya"): the dossier must be waiting there."""
        if urlsplit(page.url).path != "/":
            open_menu(page)
            page.get_by_role("link", name="Menunggu saya", exact=True).click()
        page.get_by_role("link", name=self.judul, exact=True).click()
        self.expect(page).to_have_url(self.url)

    def act(self, page, link, button, message, fill=None):
        """Click `link` under "Tindakan Anda", see the page titled and its button labelled `button`
        (what the link said), fill the form, submit it and expect to be back on the dossier page with
        `message`."""
        if page.url != self.url:
            self.open(page)
        self.look(page, f"dosier sebelum {link}")
        page.get_by_role("region", name="Tindakan Anda").get_by_role("link", name=link, exact=True).click()
        self.expect(page.get_by_role("heading", level=1)).to_have_text(button)
        if fill:
            fill(page)
        self.look(page, link)
        page.get_by_role("button", name=button, exact=True).click()
        self.expect(page).to_have_url(re.compile(re.escape(self.url) + "$"))
        self.expect(page.locator(".msg")).to_have_text(message)
        # Where a screen reader starts reading the page: at what the action did.
        self.expect(page.locator("#pesan")).to_be_focused()

    def create(self, page, judul, invited):
        open_menu(page)
        page.get_by_role("link", name="Dosier baru", exact=True).click()
        self.expect(page).to_have_url(re.compile(r"/dosier/baru/$"))
        page.locator("#id_judul").fill(judul)
        page.locator("#id_tahun").fill("2027")
        for box in page.locator("input[name=invited]").all():
            box.uncheck()
        for skpd in invited:
            page.locator(f"input[name=invited][value='{skpd.pk}']").check()
        self.look(page, "dosier baru")
        page.get_by_role("button", name="Buat dosier", exact=True).click()
        self.expect(page.locator(".msg")).to_have_text(f"Dosier “{judul}” dibuat dan berada di langkah 1.")
        self.url, self.judul = page.url, judul
        assert re.search(r"/dosier/\d+/$", self.url), page.url
        self.history.append(("kasubag", ACTION_LABELS[CREATE], judul))

    def upload(self, page, username, kind, name=None):
        name = name or f"{kind}.pdf"
        label = ACTION_LABELS[Action.UNGGAH]

        def fill(p):
            p.locator("select[name=kind]").select_option(kind)
            p.locator("input[name=file]").set_input_files(str(pdf(self.files, name)))

        note = f"{DocKind(kind).label}: {name}"
        self.act(page, "Unggah dokumen", "Unggah dokumen", f"{label} berhasil: {note}", fill)
        self.record(username, Action.UNGGAH, note)

    def send_iku(self, page, username, stage):
        skpd = self.people[username].skpd
        label = ACTION_LABELS[Action.AJUKAN_IKU]

        def fill(p):
            row = {
                "sasaran_strategis": f"Meningkatnya mutu layanan {skpd.nama_pendek}",
                "indikator": f"Indeks kepuasan masyarakat terhadap layanan {skpd.nama_pendek}",
                "penjelasan": "Mengukur mutu layanan yang dirasakan masyarakat",
                "formula": "Rata-rata nilai survei kepuasan masyarakat",
                "satuan": "indeks",
                "target": "82,5",
                "sumber_data": "Laporan survei kepuasan masyarakat",
                "penanggung_jawab": skpd.nama_pendek,
            }
            for field, value in row.items():
                p.locator(f"[name='r-1-{field}']").fill(value)

        note = f"{IkuStage(stage).label} dari {skpd}: 1 indikator (versi 1)"
        self.act(page, f"Isi dan kirim IKU {skpd.nama_pendek}", "Isi dan kirim IKU", f"{label} berhasil: {note}", fill)
        self.record(username, Action.AJUKAN_IKU, note)

    def meeting(self, page, username):
        label = ACTION_LABELS[Action.CATAT_RAPAT]
        summary = "Pembahasan IKU yang disusun SKPD; SKPD diminta menyempurnakan formula."

        def fill(p):
            # Held just now: a meeting counts only during the step's stay and once it has taken place.
            p.locator("[name=held_at]").fill(f"{timezone.localtime():%Y-%m-%dT%H:%M}")
            p.locator("[name=tempat]").fill("Ruang Rapat Biro Kesra")
            p.locator("[name=pimpinan]").fill(self.people["kabiro"].display_name)
            p.locator("[name=ringkasan]").fill(summary)

        self.act(page, "Catat rapat", "Catat rapat", f"{label} berhasil: {summary}", fill)
        self.record(username, Action.CATAT_RAPAT, summary)

    def finish(self, page, username, step):
        after = next_state(step.state)
        # A step that signs a document made here asks the signer's password; this walk uploads its
        # documents (signed on paper), so none is asked (tests/naskah/test_pades.py signs).
        def confirm(p):
            assert p.locator("[name=kata_sandi]").count() == 0
        self.act(
            page, step.action_label, step.action_label,
            f"{STATE_LABELS[step.state]} selesai. Dosier kini {now_at(after)}.", confirm,
        )
        self.record(username, Action.SELESAIKAN)

    def give_back(self, page, username, note):
        self.act(
            page, "Kembalikan ke Kasubag", "Kembalikan ke Kasubag", f"Draft dikembalikan ke Kasubag dengan catatan: {note}",
            lambda p: p.locator("[name=catatan]").fill(note),
        )
        self.record(username, Action.KEMBALIKAN, note)

    def decree(self, page, username, number, date):
        note = f"Keputusan Gubernur Nomor {number} tanggal {long_date(date)}"

        def fill(p):
            p.locator("[name=nomor_kepgub]").fill(number)
            p.locator("[name=tanggal_kepgub]").fill(f"{date:%Y-%m-%d}")

        self.act(page, "Catat penetapan Gubernur", "Catat penetapan Gubernur", f"Penetapan dicatat: {note}. Dosier selesai.", fill)
        self.record(username, Action.CATAT_PENETAPAN, note)


def actor_of(step) -> str:
    return "staf" if Role.STAF in step.actors else USER_OF_ROLE[step.actors[0]]


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_one_dossier_from_invitation_to_decree_only_by_clicking(people, sign_in, tmp_path, viewport):
    from playwright.sync_api import expect

    invited = list(Skpd.objects.filter(nama_pendek__in=["Dinas Kesehatan", "Dinas Sosial"]))
    assert {s.pk for s in invited} == {people[u].skpd_id for u in AGENCIES}
    walk = Walk(people, tmp_path, viewport)
    width = viewport["width"]

    def turn(username):
        return sign_in(username, viewport=viewport)

    judul = "Penetapan IKU 2027 (uji peramban)"
    with turn("kasubag") as page:
        walk.create(page, judul, invited)

    returned = False
    for step in STEPS:
        # What must be at hand and what the step produces, uploaded by the Staf through the form.
        documents = tuple(dict.fromkeys(step.requires + step.produces))
        if documents:
            with turn("staf") as page:
                for kind in documents:
                    walk.upload(page, "staf", kind)
        if step.iku_stage:
            for username in AGENCIES:
                with turn(username) as page:
                    walk.send_iku(page, username, step.iku_stage)
        if step.min_meetings:
            with turn("staf") as page:
                for _ in range(step.min_meetings):
                    walk.meeting(page, "staf")

        actor = actor_of(step)
        if step.returns_to and not returned:
            with turn(actor) as page:
                walk.give_back(page, actor, RETURN_NOTE)
            returned = True
            back = STEP_BY_NUMBER[step.returns_to]
            with turn("kasubag") as page:
                walk.open(page)
                expect(page.locator("h1 + p .badge")).to_have_text(STATE_LABELS[back.state])
                notice = page.locator(".notice[role=alert]")
                expect(notice).to_contain_text(f"Dikembalikan oleh {people['kabag'].display_name}")
                expect(notice).to_contain_text(RETURN_NOTE)
                walk.look(page, "dosier dikembalikan")
                shot = screenshot(page, f"return-notice-{width}.png")
                box = shot.with_name(f"return-notice-box-{width}.png")
                notice.screenshot(path=str(box))
                if SHOTS.is_dir():
                    for kept in (shot, box):
                        shutil.copy(kept, SHOTS / kept.name)
                # The old Nota and draft do not count after a return: corrected ones are uploaded.
                for kind in back.produces:
                    walk.upload(page, "kasubag", kind, name=f"{kind}-perbaikan.pdf")
                walk.finish(page, "kasubag", back)
            # The Kabag finds the corrected draft in the inbox; seen on a phone.
            with sign_in(actor, viewport=PHONE) as page:
                expect(page.get_by_role("link", name=judul, exact=True)).to_be_visible()
                screenshot(page, "inbox-kabag-375.png")
                assert_fits_phone(page, "the Kabag's inbox")
                page.set_viewport_size(viewport)
                walk.finish(page, actor, step)
            continue

        with turn(actor) as page:
            walk.finish(page, actor, step)

    dossier = Dossier.objects.get(judul=judul)
    assert dossier.state == DI_GUBERNUR
    today = timezone.localdate()
    with turn("staf") as page:
        walk.decree(page, "staf", DECREE_NUMBER, today)

    with turn("kasubag") as page:
        page.goto(walk.url)
        expect(page.locator("h1 + p .badge")).to_have_text(STATE_LABELS[SELESAI])
        assert STATE_LABELS[SELESAI].startswith("Selesai")
        expect(page.locator(".card strong", has_text="Keputusan Gubernur Nomor")).to_have_text(
            f"Keputusan Gubernur Nomor {DECREE_NUMBER}"
        )
        # A closed round offers only the correction of the decree's record (with its reason).
        expect(page.get_by_role("region", name="Tindakan Anda").get_by_role("link")).to_have_text(
            ["Koreksi catatan penetapan"])

        # The dossier page lists the latest events; the whole history is a link away.
        read_rows = "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText.trim()))"
        assert len(walk.history) > LATEST
        latest = page.get_by_role("region", name="Riwayat").locator("tbody tr")
        expect(latest).to_have_count(LATEST)
        assert [row[2] for row in latest.evaluate_all(read_rows)] == [action for _, action, _ in walk.history[-LATEST:]]

        shot = screenshot(page, f"dossier-{width}.png")
        assert shot.stat().st_size > 0
        if walk.phone:
            assert_fits_phone(page, "the dossier page")

        page.get_by_role("link", name=f"Lihat seluruh riwayat ({len(walk.history)} peristiwa)").click()
        history = page.locator("tbody tr")
        expect(history).to_have_count(len(walk.history))
        rows = history.evaluate_all(read_rows)
        for number, (row, (username, action, note)) in enumerate(zip(rows, walk.history, strict=True), start=1):
            _, pelaku, tindakan, _, catatan = row
            assert people[username].display_name in pelaku, (number, row)
            assert tindakan == action, (number, row)
            assert catatan == note, (number, row)
        returns = [row for row in rows if row[2] == ACTION_LABELS[Action.KEMBALIKAN]]
        assert len(returns) == 1 and returns[0][4] == RETURN_NOTE
        assert rows[-1][3].endswith(STATE_LABELS[SELESAI])
        assert AuditEvent.objects.filter(dossier=dossier).count() == len(walk.history)
        if walk.phone:
            assert_fits_phone(page, "the history page")

    dossier.refresh_from_db()
    assert (dossier.state, dossier.nomor_kepgub, dossier.tanggal_kepgub) == (SELESAI, DECREE_NUMBER, today)


def test_an_agency_with_nothing_to_do_sees_no_buttons_and_a_typed_action_url_is_refused(walk, sign_in):
    from playwright.sync_api import expect

    step = STEP_BY_NUMBER[4]  # the Kabiro's letter: nothing for an agency to do
    dossier = walk(step.state)
    with sign_in("dinkes") as page:
        page.goto(f"/dosier/{dossier.pk}/")
        expect(page.locator("h1 + p .badge")).to_have_text(STATE_LABELS[step.state])
        expect(page.get_by_role("region", name="Tindakan Anda")).to_have_count(0)
        expect(page.locator("a[href*='/aksi/']")).to_have_count(0)
        for action in TRANSITION_ACTIONS:
            response = page.goto(f"/dosier/{dossier.pk}/aksi/{action}/")
            assert response.status == 403, action
            expect(page.get_by_role("heading", level=1)).to_have_text("Anda tidak berwenang membuka halaman ini")
            expect(page.locator("main")).to_contain_text("tidak berwenang")
        # Nothing moved.
        page.goto(f"/dosier/{dossier.pk}/")
        expect(page.locator("h1 + p .badge")).to_have_text(STATE_LABELS[step.state])
    dossier.refresh_from_db()
    assert dossier.state == step.state
