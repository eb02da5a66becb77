"""A province's provincial table (55 agencies, 2,000 rows) on the Kasubag's page: every row with its
edit form made a 14 MB page that a phone took minutes to open. Past WHOLE_TABLE_ROWS rows the page
shows one agency's rows at a time, chosen from the list of every agency, numbered as the table is."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from iku.consolidation import WHOLE_TABLE_ROWS
from iku.models import IkuRow, IkuSubmission
from tests.factories import client_for
from tests.iku.test_consolidation import act, bahan_row
from workflow import demo
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER

AGENCIES, ROWS = 12, 8


def add_agencies(people, dossier, count=AGENCIES, rows=ROWS) -> list:
    """`count` more agencies with `rows` sent Bahan rows each, after the ones already in the table;
    their submissions in table order."""
    more = list(Skpd.objects.exclude(submissions__dossier=dossier).order_by("pk")[:count])
    dossier.invited.add(*more)
    submissions = IkuSubmission.objects.bulk_create(
        IkuSubmission(dossier=dossier, skpd=skpd, stage="bahan", submitted_by=people["kasubag"], urutan=n,
                      submitted_at=dossier.state_entered_at) for n, skpd in enumerate(more, start=10))
    made = []
    for submission, skpd in zip(submissions, more):
        for n in range(rows):
            row = demo.sample_row(skpd)
            row.submission, row.urutan, row.indikator = submission, n + 1, f"{row.indikator} ke-{n + 1}"
            made.append(row)
    IkuRow.objects.bulk_create(made)
    return submissions


def edit_forms(page: str) -> int:
    return page.count('name="op" value="ubah"')


def test_a_long_table_is_shown_one_agency_at_a_time_with_every_agency_listed(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    url = f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/"
    client = client_for(people, "kasubag")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        small = client.get(url).content.decode()
    assert edit_forms(small) == 2 and "SKPD dalam tabel" not in small  # a short table stays whole
    submissions = add_agencies(people, dossier)
    assert 2 + AGENCIES * ROWS > WHOLE_TABLE_ROWS
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    # The same queries for 2 rows or 98, and the rows of one agency: the first, Dinas Kesehatan.
    assert len(many.captured_queries) == len(few.captured_queries)
    assert edit_forms(page) == 1 and "No 1 · Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan" in page
    assert f"{2 + AGENCIES} SKPD dalam tabel" in page
    for submission in submissions:
        assert f'<a href="?skpd={submission.skpd_id}">{submission.skpd.nama_pendek}</a>' in page
    assert "SKPD berikutnya: Dinas Sosial" in page

    fifth = submissions[4]
    page = client.get(f"{url}?skpd={fifth.skpd_id}").content.decode()
    assert edit_forms(page) == ROWS
    # Numbered as the whole table is: two demo rows and four agencies of eight come first.
    first = 2 + 4 * ROWS + 1
    assert f"No {first} · Indeks kepuasan masyarakat terhadap layanan {fifth.skpd.nama_pendek} ke-1" in page
    assert f"{ROWS} baris (No {first}–{first + ROWS - 1})" in page
    assert f'<strong aria-current="page">{fifth.skpd.nama_pendek}</strong>' in page
    assert "tidak ada dalam tabel" not in page
    # An address asking for an agency not in the table shows the first, and says so.
    stale = client.get(f"{url}?skpd=99999").content.decode()
    assert "layanan Dinas Kesehatan" in stale
    assert ("SKPD pada alamat halaman ini tidak ada dalam tabel; pilih SKPD dari daftar di bawah. "
            "Ditampilkan baris Dinas Kesehatan.") in stale


def test_a_change_on_a_long_table_comes_back_to_its_agency(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    fifth = add_agencies(people, dossier)[4]
    row = fifth.rows.order_by("urutan").last()
    done = act(people, dossier, op="komentar", baris=row.pk, teks="Sebutkan tahun dasar target")
    assert done.url == f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/?skpd={fifth.skpd_id}#baris-{row.pk}"
    page = client_for(people, "kasubag").get(done.url.split("#")[0]).content.decode()
    assert f'id="baris-{row.pk}"' in page and "Komentar untuk SKPD:</strong> Sebutkan tahun dasar target" in page
    assert "1 dikomentari" in page

    # A refused edit, posted from that agency's page, comes back there with what was typed.
    refused = act(people, dossier, op="ubah", baris=row.pk, **row.as_dict() | {"indikator": "", "target": "77 (2027)"})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Indikator kinerja utama wajib diisi." in page
    assert f'id="baris-{row.pk}"' in page and "77 (2027)" in page and edit_forms(page) == ROWS


def test_moving_an_agency_costs_the_same_queries_for_two_agencies_or_fourteen(people, walk):
    """The first agency moved renumbers every agency of the table (all at 0 until then): a province's
    55 were 55 saves of one move."""
    from django.db.models import F

    dossier = walk(STEP_BY_NUMBER[6].state)
    with CaptureQueriesContext(connection) as few:
        assert act(people, dossier, op="skpd_naik", baris=bahan_row(dossier, people["dinsos"].skpd).pk).status_code == 302
    other = walk(STEP_BY_NUMBER[6].state, judul="Dosier lain")
    submissions = add_agencies(people, other)
    IkuSubmission.objects.filter(dossier=other).update(urutan=0)
    with CaptureQueriesContext(connection) as many:
        assert act(people, other, op="skpd_naik", baris=submissions[-1].rows.first().pk).status_code == 302
    assert len(many.captured_queries) == len(few.captured_queries)
    order = list(IkuSubmission.objects.filter(dossier=other, stage="bahan", submitted_at__isnull=False)
                 .order_by(F("urutan")).values_list("skpd_id", flat=True))
    assert order[-2:] == [submissions[-1].skpd_id, submissions[-2].skpd_id]
    assert len(order) == 2 + AGENCIES


def test_a_province_s_table_counts_its_warnings_with_the_thousands_dot(people, walk):
    # 1,040 rows sent without their source of data: the table page read "1040 peringatan pada tabel
    # ini: 1040 baris tanpa sumber data" under its own "Tabel ini panjang (1.042 baris)".
    dossier = walk(STEP_BY_NUMBER[6].state)
    submissions = add_agencies(people, dossier, count=20, rows=52)
    IkuRow.objects.filter(submission__in=submissions).update(sumber_data="")
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    assert "Tabel ini panjang (1.042 baris)" in page
    warnings = page.split('<p class="notice small">')[1].split("</p>")[0]
    assert warnings.startswith("1.060 peringatan pada tabel ini: ")
    assert "1.040 baris tanpa sumber data" in warnings
