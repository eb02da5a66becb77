"""The bureau's reading table of a province's round (40 agencies, 2,000 rows), the page the Kabag, the
Kabiro and the Tim read: one page of every row was 2 to 5 MB, slow on the office connection and
1,400 screens on a phone. Past WHOLE_TABLE_ROWS rows it shows one agency's rows at a time, chosen
from the list of every agency, numbered as the whole table; the whole table stays one link away for
printing, the XLSX and CSV stay whole, and an address naming an agency the reader may not read (or
none at all) is said so, never answered with its rows, a 500 or a silent other agency."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from iku.consolidation import WHOLE_TABLE_ROWS
from tests.factories import client_for
from tests.iku.test_consolidation_province import AGENCIES, ROWS, add_agencies
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER

UNKNOWN = "SKPD pada alamat halaman ini tidak ada dalam Bahan penyusunan IKU yang dapat Anda baca"


def table_url(dossier) -> str:
    return f"/dosier/{dossier.pk}/iku/bahan/"


def shown_rows(page: str) -> int:
    return page.count('<td data-label="No">')


def test_a_long_table_is_read_one_agency_at_a_time_with_the_same_queries(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    url, kabag = table_url(dossier), client_for(people, "kabag")
    kabag.get(url)
    with CaptureQueriesContext(connection) as few:
        small = kabag.get(url).content.decode()
    # A short table stays one page: both agencies' rows, no list of agencies.
    assert shown_rows(small) == 2 and "SKPD dalam tabel" not in small
    submissions = add_agencies(people, dossier)
    assert 2 + AGENCIES * ROWS > WHOLE_TABLE_ROWS
    with CaptureQueriesContext(connection) as many:
        page = kabag.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    # The first agency's rows (Dinas Kesehatan's one), under the list of every agency.
    assert shown_rows(page) == 1 and "layanan Dinas Kesehatan" in page and "layanan Dinas Sosial</td>" not in page
    assert f"{2 + AGENCIES} SKPD dalam tabel" in page and "Tabel ini panjang (98 baris)" in page
    for submission in submissions:
        assert f'<a href="?skpd={submission.skpd_id}#baris-skpd">{submission.skpd.nama_pendek}</a>' in page
    assert "SKPD berikutnya: Dinas Sosial" in page

    fifth = submissions[4]
    with CaptureQueriesContext(connection) as agency:
        page = kabag.get(f"{url}?skpd={fifth.skpd_id}").content.decode()
    assert len(agency.captured_queries) == len(few.captured_queries)
    assert shown_rows(page) == ROWS and UNKNOWN not in page
    # Numbered as the whole table: two demo rows and four agencies of eight come first.
    first = 2 + 4 * ROWS + 1
    assert f'<td data-label="No">{first}</td>' in page and f'<td data-label="No">{first + ROWS - 1}</td>' in page
    assert f"{ROWS} baris (No {first}–{first + ROWS - 1})" in page
    assert f'<strong aria-current="page">{fifth.skpd.nama_pendek}</strong>' in page
    # The list, the agency before and the one after open at the rows, four phone screens below the list.
    assert f'<h2 id="baris-skpd">{fifth.skpd.nama_pendek} <span class="small muted">No {first}–{first + ROWS - 1}' in page
    assert page.index('id="baris-skpd"') > page.rindex("</nav>")
    assert f'href="?skpd={submissions[3].skpd_id}#baris-skpd">&larr; SKPD sebelumnya: {submissions[3].skpd.nama_pendek}' in page
    assert f'href="?skpd={submissions[5].skpd_id}#baris-skpd">SKPD berikutnya: {submissions[5].skpd.nama_pendek}' in page
    # Unfolding the long texts stays on the agency's rows.
    assert f'href="?skpd={fifth.skpd_id}&amp;lengkap=1">Tampilkan semua teks lengkap' in page
    assert shown_rows(kabag.get(f"{url}?skpd={fifth.skpd_id}&lengkap=1").content.decode()) == ROWS

    # Every row stays one link away for printing, and in the XLSX.
    assert 'href="?skpd=semua">Tampilkan seluruh tabel untuk dicetak' in page
    with CaptureQueriesContext(connection) as every:
        whole = kabag.get(f"{url}?skpd=semua").content.decode()
    assert len(every.captured_queries) == len(few.captured_queries)
    assert shown_rows(whole) == 2 + AGENCIES * ROWS and "Seluruh tabel ditampilkan" in whole
    sheet = load_workbook(io.BytesIO(kabag.get(f"{url}xlsx/").content))["IKU"]
    assert 2 + AGENCIES * ROWS == sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])


def test_a_page_of_a_provinces_round_stays_small(people, walk):
    """40 agencies of 50 rows: each page one agency's rows and the list of the 42, not 2,000 rows."""
    dossier = walk(STEP_BY_NUMBER[7].state)
    have = Skpd.objects.count()
    Skpd.objects.bulk_create(Skpd(nama=f"Badan Uji Provinsi {n}", nama_pendek=f"Badan Uji {n}") for n in range(40))
    assert Skpd.objects.count() == have + 40
    submissions = add_agencies(people, dossier, count=40, rows=50)
    kabag, url = client_for(people, "kabag"), table_url(dossier)
    for address in (url, f"{url}?skpd={submissions[0].skpd_id}", f"{url}?skpd={submissions[-1].skpd_id}"):
        page = kabag.get(address).content
        assert len(page) < 100_000, (address, len(page))
    assert "42 SKPD dalam tabel" in page.decode() and shown_rows(page.decode()) == 50


def test_an_agency_reads_no_other_agencys_rows_through_the_address(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    add_agencies(people, dossier)
    url, dinkes = table_url(dossier), client_for(people, "dinkes")
    other = people["dinsos"].skpd_id
    pages = {asked: dinkes.get(f"{url}?skpd={asked}") for asked in (other, 99999, "semua", "")}
    for asked, response in pages.items():
        page = response.content.decode()
        assert response.status_code == 200, asked
        # Its own row only, whatever the address asks for; no list of the bureau's agencies.
        assert "layanan Dinas Kesehatan" in page and "layanan Dinas Sosial" not in page, asked
        assert shown_rows(page) == 1 and "SKPD dalam tabel" not in page, asked
    # Another agency's number is answered as a number of no agency: nothing told of Dinas Sosial.
    for asked in (other, 99999):
        assert f"{UNKNOWN}. Ditampilkan IKU Dinas Kesehatan." in pages[asked].content.decode(), asked
    assert UNKNOWN not in pages[""].content.decode()


def test_an_unknown_agency_in_the_address_is_said_not_a_500(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    submissions = add_agencies(people, dossier)
    url, kabag = table_url(dossier), client_for(people, "kabag")
    outside = Skpd.objects.exclude(submissions__dossier=dossier).first()
    for asked in ("99999", "99999999999999999999999", "abc", "-3", "%C2%B2", str(outside.pk)):
        response = kabag.get(f"{url}?skpd={asked}")
        page = response.content.decode()
        assert response.status_code == 200, asked
        assert f"{UNKNOWN}; pilih SKPD dari daftar di bawah. Ditampilkan baris Dinas Kesehatan." in page, asked
        assert shown_rows(page) == 1 and f"?skpd={submissions[0].skpd_id}" in page, asked
    # A short table says so too, above all of its rows.
    small = walk(STEP_BY_NUMBER[7].state, judul="Dosier kecil")
    page = kabag.get(f"{table_url(small)}?skpd=99999").content.decode()
    assert f"{UNKNOWN}. Ditampilkan seluruh tabel." in page and shown_rows(page) == 2
