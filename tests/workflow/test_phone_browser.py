"""In Chromium: every list page of every role at 375 px with nothing wider than the screen (no
sideways scrolling, no title or badge cut at the right edge), a screenshot of each; and a form
typed in one tab while the dossier moved on in another comes back with the news and the text."""

import re

import pytest

from tests.browser import DESKTOP, PASSWORD, PHONE, all_images_drawn, assert_fits_phone, screenshot
from tests.factories import client_for
from tests.naskah.helpers import generate, initialled
from workflow import demo, dispositions
from workflow.steps import STEP_BY_NUMBER, DocKind, WaktuUnit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
LONG_TITLE = ("Penetapan Indikator Kinerja Utama Perangkat Daerah Provinsi Kalimantan Barat Tahun Anggaran 2027 "
              "(Perubahan Kedua setelah Evaluasi Kementerian Dalam Negeri)")
UNBROKEN = "SuratEdaranMenteriDalamNegeriNomor900.1.15.5-1317TentangPedomanPenyusunanIndikatorKinerja"
PAGES = {
    "kasubag": ["/", "/arsip/", "/dasbor/", "/laporan/", "/pelimpahan/", "/pemberitahuan/", "/dosier/baru/"],
    "staf": ["/", "/arsip/", "/pemberitahuan/"],
    "kabag": ["/", "/dasbor/", "/pelimpahan/"],
    "kabiro": ["/", "/dasbor/", "/laporan/"],
    "dinkes": ["/", "/arsip/", "/pemberitahuan/"],
}
# Elements reaching past the right edge, leaving out what sits inside a box that scrolls on purpose
# (a wide table inside .table-wrap) and what is hidden off-screen for screen readers.
CUT_AT_THE_EDGE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll') return true; }
    return false; };
  return [...document.querySelectorAll('body *')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > edge; })
    .filter(e => !scrolls(e) && !e.closest('.visually-hidden'))
    .map(e => `${e.tagName.toLowerCase()}.${String(e.className).trim().replace(/\\s+/g, '.')} ${e.textContent.trim().slice(0, 40)}`);
}"""
TYPED_INTO = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea"


@pytest.fixture
def busy_round(people):
    """Dossiers at several steps, one with a very long title, a late one and a disposisi."""
    late = demo.open_dossier(people, 2027, LONG_TITLE)
    demo.walk_to(late, people, STEP_BY_NUMBER[3].state)
    for number in (1, 5, 7):
        demo.walk_to(demo.open_dossier(people, 2027, f"Dosier langkah {number}"), people, STEP_BY_NUMBER[number].state)
    first = demo.open_dossier(people, 2027, "Dosier dengan disposisi")
    dispositions.give(first, people["kasubag"], assigned_to=people["staf"], waktu_amount=2, waktu_unit=WaktuUnit.JAM,
                      instruksi="Siapkan konsep Undangan workshop dan periksa alamat seluruh SKPD yang diundang")
    # The newest round (the dashboard's) with a word no line holds, as a pasted reference makes one.
    demo.walk_to(demo.open_dossier(people, 2027, f"IKU 2027 {UNBROKEN}"), people, STEP_BY_NUMBER[2].state)
    return late


@pytest.mark.parametrize("username", list(PAGES))
def test_every_list_page_fits_a_phone(busy_round, sign_in, username):
    with sign_in(username, viewport=PHONE) as page:
        for url in PAGES[username] + [f"/dosier/{busy_round.pk}/"]:
            page.goto(url)
            all_images_drawn(page)
            what = f"{url} for {username}"
            assert_fits_phone(page, what)
            assert page.evaluate(CUT_AT_THE_EDGE) == [], what
            # What a row asks of the user is tapped with a finger: 44 px high at least.
            heights = page.eval_on_selector_all("ul.tasks a", "links => links.map(a => a.getBoundingClientRect().height)")
            assert all(height >= 43.9 for height in heights), (what, heights)
            # And every box typed into (the dossier page's Nomor SRIKANDI among them), in the page's
            # text size: a phone zooms the page in on a smaller font when the box is tapped.
            boxes = page.eval_on_selector_all(TYPED_INTO, """boxes => boxes.filter(e => e.offsetParent)
                .map(e => [e.name, e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)])""")
            assert [box for box in boxes if box[1] < 43.9 or box[2] < 16] == [], (what, boxes)
            # The dossier page by its kind, not its number: each run overwrites the same file.
            name = re.sub(r"-\d+$", "", url.strip("/").replace("/", "-")) or "kotak-masuk"
            screenshot(page, f"375-{username}-{name}.png")


def test_a_note_typed_while_the_dossier_moved_on_in_another_tab_comes_back_with_the_news(people, walk, sign_in):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[7].state)
    note = "Target indikator Dinas Sosial belum terukur;\nmohon perbaiki lampiran."
    with sign_in("kabag", viewport=PHONE) as first:
        first.goto(f"/dosier/{dossier.pk}/aksi/kembalikan/")
        first.locator("#id_catatan").fill(note)
        # The second tab of the same session initials the draft meanwhile.
        second = first.context.new_page()
        second.set_viewport_size(DESKTOP)
        second.goto(f"/dosier/{dossier.pk}/aksi/selesaikan/")
        second.get_by_role("button", name=STEP_BY_NUMBER[7].action_label, exact=True).click()
        expect(second.locator(".msg")).to_contain_text("selesai")
        second.close()
        first.get_by_role("button", name="Kembalikan ke Kasubag", exact=True).click()
        expect(first.locator(".errorlist")).to_contain_text("Dosier ini sudah berubah")
        expect(first.locator(".errorlist")).to_contain_text(STEP_BY_NUMBER[8].ringkas)
        expect(first.locator("#id_catatan")).to_have_value(note)
        # The draft's page images come in as they are drawn: measure once they are all there.
        all_images_drawn(first)
        assert_fits_phone(first, "the refused return page")
        screenshot(first, "stale-return-375.png")
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[8].state


@pytest.fixture
def signed_nota(people, walk):
    """A dossier whose Nota the Kabiro signed: made before the browser starts (pyHanko signs in an
    asyncio loop of its own, which Playwright's running loop would refuse)."""
    dossier = initialled(people, walk)
    demo.finish(dossier, people["kabiro"])
    return dossier


def test_the_staf_types_a_srikandi_number_on_a_phone_in_a_box_a_finger_can_use(signed_nota, sign_in):
    from playwright.sync_api import expect

    dossier = signed_nota
    with sign_in("staf", viewport=PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/")
        box = page.get_by_label("Nomor SRIKANDI Nota Dinas")
        height, width, font = box.evaluate("""e => [e.getBoundingClientRect().height, e.getBoundingClientRect().width,
                                                    parseFloat(getComputedStyle(e).fontSize)]""")
        # A finger's height, the whole width of its column, and no zooming in when tapped (16 px).
        assert height >= 43.9 and font >= 16 and width >= 200, (height, width, font)
        box.fill("B-2027/000.7/118")
        page.get_by_role("button", name="Catat nomor SRIKANDI Nota Dinas").click()
        expect(page.locator(".msg")).to_contain_text("B-2027/000.7/118")
        assert_fits_phone(page, "the dossier page with a SRIKANDI number")


NARROW_PHONE = {"width": 360, "height": 740}
KASUBAG_NAV = ["Menunggu saya", "Arsip", "Dasbor", "Laporan", "Dosier baru", "Pelimpahan", "Pemberitahuan",
               "Kata sandi", "Token API"]


def test_on_a_phone_the_header_is_one_row_and_its_menu_opens_without_script(browser, live_server, people, walk):
    """At 360 px the nav over four lines took 294 of 740 px on every page. It now opens from the
    header's "Menu", which shows the unread count itself, with the keyboard and no script at all."""
    from playwright.sync_api import expect

    from notices.views import unread_count

    dossier = walk(STEP_BY_NUMBER[6].state)
    unread = unread_count(people["kasubag"])
    assert unread
    context = browser.new_context(base_url=live_server.url, viewport=NARROW_PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto("/masuk/")
    page.locator("#id_username").fill("kasubag")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    nav = page.get_by_role("navigation", name="Menu utama")
    menu = page.locator("header.top summary")
    for url in ("/", f"/dosier/{dossier.pk}/"):
        page.goto(url)
        height = page.locator("header.top").evaluate("e => e.getBoundingClientRect().height")
        assert height <= 100, (url, height)
        expect(nav).to_be_hidden()
        # The count of unread notices is on the button, read out with it.
        expect(menu).to_have_accessible_name(f"Menu {unread} belum dibaca")
        menu.focus()
        page.keyboard.press("Enter")
        expect(nav).to_be_visible()
        for name in KASUBAG_NAV:
            expect(nav.get_by_role("link", name=name)).to_be_in_viewport()
        expect(nav.get_by_role("button", name=re.compile(r"^Keluar"))).to_be_visible()
        page.keyboard.press("Enter")
        expect(nav).to_be_hidden()
    screenshot(page, "360-kasubag-header.png")
    # A desktop keeps the header it had: the nav in sight, no Menu.
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    for name in KASUBAG_NAV:
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    context.close()


LONG_NAMED = ["Dinas Perindustrian, Perdagangan, Energi dan Sumber Daya Mineral", "Badan Penanggulangan Bencana Daerah"]
# The words of a table's text split over two lines: a line that ends inside a word.
SPLIT_WORDS = """table => {
  const split = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent, range = document.createRange();
    const top = (i) => { range.setStart(node, i); range.setEnd(node, i + 1); const r = range.getClientRects()[0];
                         return r ? r.top : null; };
    for (let i = 0; i + 1 < text.length; i++) {
      if (/\\s/.test(text[i]) || /\\s/.test(text[i + 1])) continue;
      const a = top(i), b = top(i + 1);
      if (a !== null && b !== null && Math.abs(a - b) > 1) split.push(text.trim());
    }
  }
  return split;
}"""


@pytest.fixture
def round_at_step_8(people):
    """The Kabiro's own step (its position holds "menandatangani"), agencies of the longest names
    invited, and last year's round to compare it with."""
    from workflow import services
    from workflow.models import Skpd

    invited = Skpd.objects.filter(nama_pendek__in=demo.DEMO_SKPD + LONG_NAMED)
    assert invited.count() == len(demo.DEMO_SKPD) + len(LONG_NAMED)
    last = services.create_dossier(people["kasubag"], tahun=2026, judul="IKU 2026", invited=invited)
    demo.walk_to(last, people, STEP_BY_NUMBER[7].state)
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="IKU 2027", invited=invited)
    return demo.walk_to(dossier, people, STEP_BY_NUMBER[8].state)


def test_on_a_phone_the_rounds_tables_fit_without_swiping_and_break_between_words(round_at_step_8, sign_in):
    """At 360 px the dashboard's comparison was 22 px wider than its box and the agencies' IKU table
    8 px, a column cut until swiped inside the table, a heading broken as "penyusun/an"."""
    from playwright.sync_api import expect

    tables = [("/dasbor/", "table.compare"), ("/dasbor/", "table.round-matrix"),
              (f"/dosier/{round_at_step_8.pk}/", "table.round-matrix")]
    with sign_in("kabiro", viewport=NARROW_PHONE) as page:
        page.goto("/dasbor/")
        expect(page.locator("table.compare")).to_contain_text("menandatangani")
        expect(page.locator("table.compare")).to_contain_text("IKU 2026")
        for url, selector in tables:
            page.goto(url)
            all_images_drawn(page)
            table = page.locator(selector)
            inside, wide = table.evaluate("t => [t.parentElement.clientWidth, t.parentElement.scrollWidth]")
            assert wide <= inside, (url, selector, wide, inside)
            assert table.evaluate(SPLIT_WORDS) == [], (url, selector)
            assert_fits_phone(page, url)
        screenshot(page, "360-kabiro-dosier-skpd.png")


@pytest.mark.parametrize(("number", "username", "action", "button"), [
    (7, "kabag", "kembalikan", "Kembalikan ke Kasubag"),
    (8, "kabiro", "selesaikan", STEP_BY_NUMBER[8].action_label),
], ids=["kabag-kembalikan", "kabiro-tandatangani"])
def test_on_a_phone_a_reviewer_who_read_the_documents_goes_straight_to_the_decision(
        walk, sign_in, number, username, action, button):
    """The return and signing forms stood thousands of pixels below the documents' page images."""
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[number].state)
    with sign_in(username, viewport=NARROW_PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/{action}/")
        all_images_drawn(page)
        submit = page.get_by_role("button", name=button, exact=True)
        expect(page.locator("img.halaman").first).to_be_visible()  # the documents are still on the page
        expect(submit).not_to_be_in_viewport()
        page.get_by_role("link", name="Langsung ke keputusan Anda").click()
        expect(page).to_have_url(re.compile(r"#keputusan$"))
        expect(page.get_by_role("heading", name="Keputusan Anda")).to_be_in_viewport()
        expect(page.locator("form.card").get_by_role("textbox").first).to_be_in_viewport()
        expect(submit).to_be_in_viewport()


# Every visible tick box of the page: its label's box (None when it has no label around it), its own
# width, and the words of that label split over two lines (SPLIT_WORDS).
TICK_BOXES = """page => [...document.querySelectorAll('main input[type=checkbox]')].filter(e => e.offsetParent).map(box => {
  const label = box.closest('label');
  return {name: box.name, width: box.getBoundingClientRect().width,
          label: label && label.getBoundingClientRect().height, split: label ? (%s)(label) : []};
})""" % SPLIT_WORDS


def test_on_a_phone_a_tick_box_is_ticked_by_tapping_its_sentence(people, dossier, sign_in):
    """A box alone on its line under its sentence, 13 px wide: on the new-dossier page the sentence's
    "(opsional)" stood beside it in a column a letter wide ("(ops / iona / l)"), and the notice choices
    were two bare boxes under "Kirim lewat surel:"."""
    from playwright.sync_api import expect

    from notices.models import NoticePreference

    with sign_in("kasubag", viewport=NARROW_PHONE) as page:
        for url in ("/dosier/baru/", "/pemberitahuan/pilihan/"):
            page.goto(url)
            if url == "/dosier/baru/":
                # The tick a second round of a year asks for, shown when that year is typed.
                page.wait_for_load_state("load")
                page.locator("#id_tahun").fill(str(dossier.tahun))
                expect(page.locator("#id_tetap_buat")).to_be_visible()
            boxes = page.evaluate(TICK_BOXES)
            single = [box for box in boxes if box["name"] in ("tetap_buat", "by_email", "in_app")]
            assert single, (url, boxes)
            assert [box for box in single if not box["label"] or box["label"] < 43.9 or box["width"] < 19.9
                    or box["split"]] == [], (url, single)
            assert_fits_phone(page, url)
        # A finger on the far end of the sentence ticks (here unticks) its box.
        sentence = page.locator("label", has_text="Kirim lewat surel")
        box = page.get_by_role("checkbox", name="Kirim lewat surel")
        expect(box).to_be_checked()
        sentence.click(position={"x": sentence.bounding_box()["width"] - 10, "y": 20})
        expect(box).not_to_be_checked()
        page.get_by_role("button", name="Simpan pilihan").click()
        expect(page.locator(".msg")).to_contain_text("Pilihan pemberitahuan disimpan")
        screenshot(page, "360-kasubag-pilihan-pemberitahuan.png")
    assert NoticePreference.objects.get(user=people["kasubag"]).by_email is False


# Each visible target of the page (link, button, box, summary) too small for a thumb, 24 px either way
# (WCAG 2.5.8), whose 24 px circle reaches another target: the "enough spacing" the criterion allows
# an undersized one. An inline link wrapped over two lines is measured by its pieces, not their union.
CROWDED = """() => {
  const targets = [...document.querySelectorAll('main a[href], main button, main input, main select, main summary')]
    .filter(e => e.offsetParent && e.type !== 'hidden' && !e.closest('.visually-hidden'))
    .map(e => ({e, parts: [...e.getClientRects()].filter(r => r.width > 0 && r.height > 0)}))
    .filter(t => t.parts.length)
    .map(t => ({...t, r: t.parts.reduce((a, b) => a.width * a.height >= b.width * b.height ? a : b)}));
  const small = t => t.r.width < 24 || t.r.height < 24;
  const centre = t => [t.r.left + t.r.width / 2, t.r.top + t.r.height / 2];
  const reaches = (c, r) => Math.hypot(c[0] - Math.max(r.left, Math.min(c[0], r.right)),
                                       c[1] - Math.max(r.top, Math.min(c[1], r.bottom))) < 12;
  const name = t => `${(t.e.innerText || t.e.name || '').trim().split('\\n')[0]} ${Math.round(t.r.width)}x${Math.round(t.r.height)}`;
  return targets.filter(small).flatMap(t => targets
    .filter(o => o !== t && !o.e.contains(t.e) && !t.e.contains(o.e))
    .filter(o => o.parts.some(r => reaches(centre(t), r))
                 || (small(o) && Math.hypot(centre(t)[0] - centre(o)[0], centre(t)[1] - centre(o)[1]) < 24))
    .map(o => `${name(t)} beside ${name(o)}`));
}"""
# Width and height of each visible element the selector finds.
SIZES = """elements => elements.filter(e => e.offsetParent).map(e => {
  const r = e.getBoundingClientRect(); return [(e.innerText || e.name || '').trim().split('\\n')[0], r.width, r.height];
})"""


def test_on_a_phone_the_dossier_pages_small_links_and_the_agency_boxes_take_a_thumb(people, signed_nota, sign_in):
    """At 360 px the round table's "Konsep IKU", the SRIKANDI row's "data JSON · data CSV · PDF" and a
    step's prints were 16 px high in small print ("PDF" 26 px wide), the new-dossier page's agency
    boxes the browser's 13 px, and "Tindakan Anda" stood under a 24 px blank band in its card. A
    desktop keeps its compact rows."""
    from playwright.sync_api import expect

    dossier = signed_nota
    with sign_in("kasubag", viewport=NARROW_PHONE) as page:
        page.goto(f"/dosier/{dossier.pk}/")
        all_images_drawn(page)
        links = {selector: page.eval_on_selector_all(selector, SIZES)
                 for selector in ("table.round-matrix a", ".srikandi a", ".cetak a")}
        assert all(links.values()), links
        assert [link for found in links.values() for link in found if link[1] < 24 or link[2] < 43.9] == [], links
        assert page.evaluate(CROWDED) == [], "dossier page"
        # The card's heading starts at its padding (16 px), not 24 px below it.
        card = page.locator("section.actions")
        expect(card.get_by_role("heading", name="Tindakan Anda")).to_be_visible()
        gap = card.evaluate("c => c.querySelector('h2').getBoundingClientRect().top - c.getBoundingClientRect().top")
        assert gap <= 18, gap
        assert_fits_phone(page, "the dossier page")
        screenshot(page, "360-kasubag-dosier-ditandatangani.png")

        page.goto("/dosier/baru/")
        page.wait_for_load_state("load")
        boxes = page.eval_on_selector_all("ul.checks input[type=checkbox]", SIZES)
        labels = page.eval_on_selector_all("ul.checks label", SIZES)
        assert boxes and len(labels) == len(boxes), (boxes, labels)
        assert [box for box in boxes if box[1] < 19.9 or box[2] < 19.9] == [], boxes
        assert [label for label in labels if label[2] < 43.9] == [], labels
        legend = page.eval_on_selector_all(".agency-group legend button", SIZES)
        assert [button for button in legend if button[2] < 43.9] == [], legend
        assert page.evaluate(CROWDED) == [], "new dossier page"
        # A finger on the far end of an agency's line ticks its box.
        name = page.locator("ul.checks label", has_text="Dinas Sosial")
        box = page.get_by_role("checkbox", name="Dinas Sosial")
        expect(box).to_be_checked()
        name.click(position={"x": name.bounding_box()["width"] - 5, "y": name.bounding_box()["height"] - 5})
        expect(box).not_to_be_checked()
        assert_fits_phone(page, "the new dossier page")

        # A desktop lists the agencies as before, a short name a line of text, the SRIKANDI links in the text.
        page.set_viewport_size(DESKTOP)
        desk = page.eval_on_selector_all("ul.checks label", SIZES)
        assert min(label[2] for label in desk) < 30, desk
        page.goto(f"/dosier/{dossier.pk}/")
        assert max(link[2] for link in page.eval_on_selector_all(".srikandi a", SIZES)) < 24


def test_on_a_phone_the_chair_reads_the_minutes_she_signs_above_her_password(people, walk, sign_in):
    """At step 2 the Kasubag signs the Notulen by finishing the meeting's step: on a 390 px phone the
    page showed the password box and no minutes."""
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN)
    with sign_in("kasubag", viewport={"width": 390, "height": 844}) as page:
        page.goto(f"/dosier/{dossier.pk}/aksi/selesaikan/")
        all_images_drawn(page)
        minutes = page.get_by_role("img", name=re.compile(r"^Notulen rapat persiapan, halaman 1 dari"))
        expect(minutes).to_be_visible()
        # Drawn, and as wide as the phone at most: read by scrolling down, not sideways.
        assert minutes.evaluate("image => image.naturalWidth") > 0
        assert minutes.bounding_box()["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 391
        page.get_by_role("link", name="Langsung ke keputusan Anda").click()
        expect(page.get_by_label("Kata sandi")).to_be_in_viewport()
        screenshot(page, "390-kasubag-menandatangani-notulen.png")
