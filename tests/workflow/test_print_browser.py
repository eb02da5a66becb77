"""The dossier page, the archive and the notices printed (Ctrl+P on A4) for a meeting or a file:
each printed as one piece where it must be, without what paper cannot use."""

import re

import pytest

from tests.browser import printed
from tests.naskah.helpers import signed_nota
from workflow.steps import STEP_BY_NUMBER, DocKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_dossier_diagram_prints_whole_on_one_sheet_under_its_heading(people, walk, sign_in):
    dossier = walk(STEP_BY_NUMBER[9].state)
    with sign_in("kabag") as page:
        sheets = printed(page, f"/dosier/{dossier.pk}/")
    # Drawn at its screen size the flow was taller than A4: its heading stood alone on a blank sheet
    # and the box of step 9 was cut between the next two.
    [sheet] = [s for s in sheets if "Posisi dosier" in s]
    assert sheet.count("\u2713 dilalui") == 8, sheet
    assert "posisi sekarang" in sheet and "Selesai (IKU ditetapkan)" in sheet, sheet


@pytest.fixture
def signed(people, walk):
    """A dossier at step 9 with its Nota signed, made before the browser starts (pyHanko signs in an
    asyncio loop of its own, which Playwright's running loop would refuse)."""
    return signed_nota(people, walk)[0]


def test_a_printed_dossier_page_has_no_buttons_forms_or_download_links(signed, people, sign_in):
    nota = signed.documents.get(kind=DocKind.NOTA_DINAS, generated=True)
    with sign_in("staf") as page:
        text = " ".join(" ".join(printed(page, f"/dosier/{signed.pk}/")).split())
        # What the staff member may do here, and links to files, were printed as if paper could be clicked.
        for control in ("Tindakan Anda", "Catat penerusan ke Asisten I", "Unggah dokumen", "Cetak sesuai keadaan",
                        "Untuk SRIKANDI", "paket ZIP", "data JSON", "Nomor SRIKANDI"):
            assert control not in text, (control, text)
        assert f"Nota Dinas ditandatangani ({nota.original_name}" in text, text
        naskah = nota.naskah
        naskah.nomor_srikandi = "B-123/Kesra/2027"
        naskah.save(update_fields=["nomor_srikandi"])
        text = " ".join(" ".join(printed(page, f"/dosier/{signed.pk}/")).split())
        assert "nomor SRIKANDI B-123/Kesra/2027" in text and "Untuk SRIKANDI" not in text, text
    with sign_in("kasubag") as page:
        text = " ".join(" ".join(printed(page, f"/dosier/{signed.pk}/")).split())
        assert "Beri disposisi" not in text and "Disposisi" not in text, text


MOMENT = r"\w+, \d{1,2} \w+ \d{4} pukul \d\d\.\d\d WIB"


def test_a_printed_page_says_whose_view_it_is_when_and_where(people, walk, sign_in, live_server):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[3].state)
    clerk = people["dinkes"]
    with sign_in("dinkes") as page:
        for url in (f"/dosier/{dossier.pk}/", f"/dosier/{dossier.pk}/iku/konsep/", "/arsip/", "/pemberitahuan/"):
            # The menu with the signed-in name is not printed: the sheet did not say whose view it was
            # (an agency sees its own part only), nor when it was true.
            first = " ".join(printed(page, url)[0].split())
            seen = f"Dilihat oleh {clerk.display_name} ({clerk.skpd.nama_pendek}) · keadaan per "
            assert re.search(re.escape(seen) + MOMENT, first), (url, first)
            assert f"{live_server.url}{url}" in first.replace(" ", ""), (url, first)
            expect(page.locator("#dilihat")).to_be_hidden()
    with sign_in("kabag") as page:
        text = " ".join(" ".join(printed(page, "/dasbor/")).split())
        assert f"Dilihat oleh {people['kabag'].display_name} · " in text, text
        assert len(re.findall(MOMENT, text)) == 1, text  # the dashboard's own "Keadaan per" line


def test_a_printed_archive_names_the_filters_it_was_drawn_with(people, walk, sign_in):
    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    with sign_in("kabag") as page:
        # The filter form is not printed: a list of one position's dossiers read as the whole archive.
        text = " ".join(printed(page, "/arsip/?q=IKU&tahun=2027&state=langkah_3&skpd=")[0].split())
        assert "1 dosier. Saringan: cari “IKU”, Tahun IKU 2027, posisi Langkah 3: Workshop penetapan IKU." in text, text
        text = " ".join(printed(page, "/arsip/")[0].split())
        assert "1 dosier. Tanpa saringan: semua dosier yang dapat Anda lihat." in text, text
        assert "saringan" not in page.locator("main").inner_text()
