"""An agency's IKU grid: a whole table in one send, drafts, real-shaped rows, and nothing typed lost."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iku.models import IkuRow, IkuSubmission
from iku.rows import LONG_TEXT, MAX_ROWS, parse_target
from tests.factories import client_for, walk_to
from workflow import demo
from workflow.steps import STEP_BY_NUMBER, IkuStage

# Dinas Kesehatan's published table, as it is written: the Sasaran continues over rows, optional
# columns are empty, and targets are text.
REAL_ROWS = [
    {"sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat", "indikator": "Usia harapan hidup",
     "target": "71,24 (akhir RPJMD 2023)", "satuan": "tahun"},
    {"sasaran_strategis": "", "indikator": "Angka kematian ibu",
     "target": "< 150 per 100.000 kelahiran hidup (tahun 2026)", "formula": "Jumlah kematian ibu / KH x 100.000"},
    {"sasaran_strategis": "", "indikator": "Jumlah kasus kematian bayi", "target": "419 (tahun 2022)"},
    {"sasaran_strategis": "Meningkatnya mutu layanan kesehatan", "indikator": "Persentase RS terakreditasi",
     "target": "Paripurna", "sumber_data": "Profil Kesehatan", "penanggung_jawab": "Bidang Yankes"},
]


def grid(rows, dossier, **extra):
    posted = {"revision": dossier.revision, "state": dossier.state, "catatan": ""}
    for number, row in enumerate(rows, start=1):
        posted |= {f"r-{number}-{name}": value for name, value in row.items()}
    return posted | extra


@pytest.fixture
def at_konsep(walk):
    return walk(STEP_BY_NUMBER[3].state)


def send_url(dossier):
    return f"/dosier/{dossier.pk}/aksi/ajukan_iku/"


@pytest.mark.parametrize("text, value, period", [
    ("71,24 (akhir RPJMD 2023)", Decimal("71.24"), "akhir RPJMD 2023"),
    ("< 150 per 100.000 kelahiran hidup", Decimal("150"), ""),
    ("419 (tahun 2022)", Decimal("419"), "tahun 2022"),
    ("1.250.000", Decimal("1250000"), ""),
    ("76.5 %", Decimal("76.5"), ""),
    ("Predikat A", None, ""),
    ("", None, ""),
])
def test_a_target_written_as_text_yields_its_number_and_period(text, value, period):
    assert parse_target(text) == (value, period)


def test_a_row_without_a_sasaran_is_no_server_error_and_nothing_typed_is_lost(people, at_konsep):
    # The regression: a blank Sasaran used to raise KeyError in the formset's clean() (HTTP 500).
    client = client_for(people, "dinkes")
    rows = [{"sasaran_strategis": "", "indikator": "", "formula": "Rumus yang diketik", "target": "80"},
            {"sasaran_strategis": "", "indikator": "Indikator kedua", "satuan": "persen"}]
    page = client.post(send_url(at_konsep), grid(rows, at_konsep))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Indikator kinerja utama wajib diisi." in body
    assert "Rumus yang diketik" in body and "Indikator kedua" in body
    assert not IkuSubmission.objects.filter(dossier=at_konsep, submitted_at__isnull=False).exists()


def test_a_real_published_table_is_sent_in_one_go_with_warnings_not_errors(people, at_konsep):
    client = client_for(people, "dinkes")
    preview = client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(REAL_ROWS, at_konsep), follow=True)
    assert "3 baris tanpa formula/cara pengukuran" in preview.content.decode()  # warned before sending
    client.post(send_url(at_konsep), grid(REAL_ROWS, at_konsep))
    submission = IkuSubmission.objects.get(dossier=at_konsep, skpd=people["dinkes"].skpd, stage=IkuStage.KONSEP)
    rows = list(submission.rows.all())
    assert [r.indikator for r in rows] == [r["indikator"] for r in REAL_ROWS]
    assert [r.target_nilai for r in rows] == [Decimal("71.24"), Decimal("150"), Decimal("419"), None]
    assert rows[1].target == "< 150 per 100.000 kelahiran hidup (tahun 2026)"
    bureau = client_for(people, "kasubag").get(f"/dosier/{at_konsep.pk}/iku/konsep/").content.decode()
    assert "Target tidak memuat angka." in bureau
    assert "(melanjutkan sasaran di atas)" in bureau


def test_oversized_text_is_refused_at_its_row_and_column_and_never_stored(people, at_konsep):
    client = client_for(people, "dinkes")
    rows = [dict(REAL_ROWS[0]), dict(REAL_ROWS[1], penjelasan="x" * (LONG_TEXT + 1))]
    for url in (send_url(at_konsep), f"/dosier/{at_konsep.pk}/iku/draf/"):
        page = client.post(url, grid(rows, at_konsep)).content.decode()
        assert "Penjelasan/Alasan paling banyak 2.000 karakter; terisi 2.001." in page
        assert 'aria-label="Baris 2: Penjelasan/Alasan" data-field="penjelasan" aria-invalid="true"' in page
        assert "Usia harapan hidup" in page
    assert not IkuSubmission.objects.filter(dossier=at_konsep).exists()


def test_a_table_past_its_bound_is_refused_whole(people, at_konsep):
    rows = [{"indikator": f"Indikator {n}"} for n in range(MAX_ROWS + 1)]
    page = client_for(people, "dinkes").post(send_url(at_konsep), grid(rows, at_konsep)).content.decode()
    assert f"Satu tabel paling banyak {MAX_ROWS} baris" in page
    assert not IkuSubmission.objects.filter(dossier=at_konsep).exists()


def test_a_draft_keeps_the_grid_without_touching_what_was_sent(people, at_konsep):
    client = client_for(people, "dinkes")
    client.post(send_url(at_konsep), grid(REAL_ROWS[:1], at_konsep))
    client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(REAL_ROWS, at_konsep))
    submission = IkuSubmission.objects.get(dossier=at_konsep, skpd=people["dinkes"].skpd)
    assert submission.rows.count() == 1  # the bureau still has what was sent
    page = client.get(send_url(at_konsep)).content.decode()
    assert "Dimulai dari draf Anda" in page and "Jumlah kasus kematian bayi" in page
    client.post(send_url(at_konsep), grid(REAL_ROWS, at_konsep))
    submission.refresh_from_db()
    assert submission.rows.count() == 4 and submission.draft == []
    assert [v.nomor for v in submission.versions.all()] == [1, 2]
    assert len(submission.versions.get(nomor=1).rows) == 1


def test_a_nul_pasted_into_a_cell_is_dropped_and_the_draft_kept(people, at_konsep):
    # PostgreSQL refuses a NUL inside a stored draft: found as a server error by the hostile-input test.
    client = client_for(people, "dinkes")
    pasted = [{"sasaran_strategis": "Meningkatnya\x00 mutu", "indikator": "Usia\x07 harapan hidup"}]
    assert client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(pasted, at_konsep)).status_code == 302
    draft = IkuSubmission.objects.get(dossier=at_konsep, skpd=people["dinkes"].skpd).draft
    assert (draft[0]["sasaran_strategis"], draft[0]["indikator"]) == ("Meningkatnya mutu", "Usia harapan hidup")


def test_a_renstra_cell_copied_from_word_is_sent_with_its_bullets_as_bullets(people, at_konsep):
    # Word draws a list's bullets from the Symbol font at a private code point (U+F0B7), which a copy
    # keeps and no font here prints: the row was refused, "Karakter “\uf0b7” (U+F0B7) tidak ada ...".
    client = client_for(people, "dinkes")
    pasted = [{"sasaran_strategis": "Meningkatnya derajat kesehatan", "indikator": "Usia harapan hidup",
               "target": "72", "penjelasan": "\uf0b7\tData BPS\r\n\uf0a7\tProfil Kesehatan"}]
    response = client.post(send_url(at_konsep), grid(pasted, at_konsep))
    assert response.status_code == 302, response.content.decode()
    row = IkuRow.objects.get(submission__dossier=at_konsep, submission__skpd=people["dinkes"].skpd)
    assert row.penjelasan == "\u2022\tData BPS\n\u2022\tProfil Kesehatan"


def test_the_bahan_starts_from_the_agencys_own_konsep(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    page = client_for(people, "dinkes").get(send_url(dossier)).content.decode()
    assert "Dimulai dari Konsep IKU Anda di langkah 3." in page
    assert "Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan" in page
    assert "layanan Dinas Sosial" not in page


def test_last_years_decree_rows_start_this_years_konsep(people, walk):
    last_year = walk("selesai", judul="IKU tahun lalu")
    type(last_year).objects.filter(pk=last_year.pk).update(tahun=2026)
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    typed = {"state": dossier.state, "revision": dossier.revision, "catatan": "Catatan yang diketik"}
    page = client.post(f"/dosier/{dossier.pk}/iku/salin-tahun-lalu/", typed).content.decode()
    # Into the grid for review, the note as typed; nothing kept until the agency saves.
    assert "1 baris IKU tahun 2026 disalin ke tabel di bawah. Belum ada yang disimpan" in page
    assert ">Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan</textarea>" in page
    assert "Catatan yang diketik</textarea>" in page
    assert not IkuSubmission.objects.filter(dossier=dossier, skpd=people["dinkes"].skpd).exists()
    other = client_for(people, "dinsos").post(f"/dosier/{dossier.pk}/iku/salin-tahun-lalu/", typed)
    assert "disalin ke tabel di bawah" in other.content.decode()  # Dinas Sosial was in last year's decree too


def test_no_agency_writes_into_another_agencys_table_or_a_closed_round(people, at_konsep, walk):
    outsider = client_for(people, "dishub")  # not invited
    for url in ("iku/draf/", "iku/salin-tahun-lalu/"):
        assert outsider.post(f"/dosier/{at_konsep.pk}/{url}", grid(REAL_ROWS, at_konsep)).status_code == 404
    later = walk(STEP_BY_NUMBER[4].state)
    refused = client_for(people, "dinkes").post(f"/dosier/{later.pk}/iku/draf/", grid(REAL_ROWS, later))
    assert refused.status_code == 403
    assert not IkuSubmission.objects.filter(dossier=later, draft_saved_at__isnull=False).exists()
    bureau = client_for(people, "kasubag").post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(REAL_ROWS, at_konsep))
    assert bureau.status_code == 403


def test_the_grid_page_runs_the_same_queries_for_one_row_or_forty(people, at_konsep):
    client = client_for(people, "dinkes")
    client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(REAL_ROWS[:1], at_konsep))
    with CaptureQueriesContext(connection) as few:
        client.get(send_url(at_konsep))
    client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid([REAL_ROWS[0]] * 40, at_konsep))
    with CaptureQueriesContext(connection) as many:
        assert "r-40-indikator" in client.get(send_url(at_konsep)).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_demo_agencies_send_through_the_same_rows(people, at_konsep):
    demo.submit_iku(at_konsep, people["dinsos"])
    row = IkuSubmission.objects.get(dossier=at_konsep, skpd=people["dinsos"].skpd).rows.get()
    assert row.target_nilai == Decimal("82.5")


def test_the_grid_page_asks_the_same_queries_for_a_draft_of_five_rows_or_fifty(
        people, at_konsep, django_assert_max_num_queries):
    from django.db import reset_queries

    client = client_for(people, "dinkes")
    counts = []
    for size in (5, 50):
        # Real-shaped rows, the Sasaran continued and optional columns empty: each row warns.
        rows = [REAL_ROWS[n % len(REAL_ROWS)] | {"indikator": f"Indikator {n}"} for n in range(size)]
        assert client.post(f"/dosier/{at_konsep.pk}/iku/draf/", grid(rows, at_konsep)).status_code == 302
        client.get(send_url(at_konsep))  # the "Draf disimpan" message is read once
        reset_queries()
        with django_assert_max_num_queries(10) as asked:
            page = client.get(send_url(at_konsep)).content.decode()
        assert f'name="r-{size}-indikator"' in page and f"Indikator {size - 1}</textarea>" in page
        counts.append(len(asked.captured_queries))
        # The agency's submission is read once, however many parts of the page ask for it.
        read = [q["sql"] for q in asked.captured_queries if q["sql"].startswith('SELECT "workflow_ikusubmission"."id"')]
        assert len(read) == 1, read
    assert counts[0] == counts[1], counts


def test_a_row_the_bureau_left_out_of_last_years_decree_is_not_copied_back(people, walk):
    last_year = walk(STEP_BY_NUMBER[6].state, judul="IKU tahun lalu")
    left_out = IkuRow.objects.get(submission__dossier=last_year, submission__stage="bahan",
                                  submission__skpd=people["dinkes"].skpd)
    client_for(people, "kasubag").post(f"/dosier/{last_year.pk}/aksi/atur_tabel_iku/", {
        "revision": last_year.revision, "state": last_year.state, "op": "keluarkan", "baris": left_out.pk,
        "teks": "Bukan kewenangan provinsi"})
    walk_to(last_year, people, "selesai")
    type(last_year).objects.filter(pk=last_year.pk).update(tahun=2026)
    dossier = walk(STEP_BY_NUMBER[3].state)
    typed = {"state": dossier.state, "revision": dossier.revision, "catatan": ""}
    page = client_for(people, "dinkes").post(f"/dosier/{dossier.pk}/iku/salin-tahun-lalu/", typed).content.decode()
    assert "Tidak ada IKU Dinas Kesehatan dalam keputusan tahun 2026" in page
    assert "layanan Dinas Kesehatan</textarea>" not in page
    other = client_for(people, "dinsos").post(f"/dosier/{dossier.pk}/iku/salin-tahun-lalu/", typed).content.decode()
    assert "1 baris IKU tahun 2026 disalin ke tabel di bawah." in other
