"""A refused grid says what was refused and why, nothing else: a file not loaded into an empty grid
is no "fill in one indicator", a draft of too many rows is no "text too long"."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from iku import xlsx
from iku.models import IkuSubmission
from iku.rows import FIELDS, LONG_TEXT, MAX_ROWS
from tests.factories import client_for
from tests.iku.test_grid import grid, send_url

EMPTY_TABLE = "Isi sedikitnya satu indikator kinerja utama."
TOO_LONG = "Draf belum disimpan: perbaiki isian yang terlalu panjang di bawah ini."


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def top_box(page: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page)
    return found.group(0) if found else ""


def test_a_file_refused_into_an_empty_grid_says_only_the_files_problem(people, blank_konsep):
    client = client_for(people, "dinkes")
    broken = SimpleUploadedFile("iku.xlsx", b"bukan berkas excel", content_type=xlsx.CONTENT_TYPE)
    page = text(client.post(f"/dosier/{blank_konsep.pk}/iku/unggah/", grid([], blank_konsep) | {"berkas": broken}))
    assert "Berkas tidak dimuat" in page
    assert EMPTY_TABLE not in page and not top_box(page)


def test_last_years_table_missing_into_an_empty_grid_says_only_that(people, blank_konsep):
    page = text(client_for(people, "dinkes").post(f"/dosier/{blank_konsep.pk}/iku/salin-tahun-lalu/",
                                                  grid([], blank_konsep)))
    assert "Tidak ada IKU Dinas Kesehatan dalam keputusan tahun 2026" in top_box(page)
    assert EMPTY_TABLE not in page


def test_sending_an_empty_grid_still_asks_for_one_indicator(people, blank_konsep):
    page = text(client_for(people, "dinkes").post(send_url(blank_konsep), grid([], blank_konsep)))
    assert EMPTY_TABLE in top_box(page)
    assert not IkuSubmission.objects.filter(dossier=blank_konsep, submitted_at__isnull=False).exists()


def test_a_draft_of_too_many_rows_says_the_row_limit_not_a_text_too_long(people, blank_konsep):
    client = client_for(people, "dinkes")
    draft_url = f"/dosier/{blank_konsep.pk}/iku/draf/"
    rows = [{"indikator": f"Indikator {n}"} for n in range(MAX_ROWS + 1)]
    page = text(client.post(draft_url, grid(rows, blank_konsep)))
    assert f"Satu tabel paling banyak {MAX_ROWS} baris; tabel ini {MAX_ROWS + 1} baris." in top_box(page)
    assert "terlalu panjang" not in page
    long_cell = text(client.post(draft_url, grid([{"indikator": "x" * (LONG_TEXT + 1)}], blank_konsep)))
    assert TOO_LONG in top_box(long_cell)  # where the length is what stops it, that is said
    assert not IkuSubmission.objects.filter(dossier=blank_konsep).exists()


def test_a_grid_pasted_far_past_the_row_limit_is_told_the_limit_and_given_back(people, blank_konsep):
    """A whole sheet pasted (400 rows, every cell of the grid posted as the page posts them) reached no
    form: Django refused its 3,200 fields, and the page said to send again."""
    rows = [{name: f"{name} {n}" for name in FIELDS} for n in range(1, 401)]
    answer = client_for(people, "dinkes").post(f"/dosier/{blank_konsep.pk}/iku/draf/", grid(rows, blank_konsep))
    assert answer.status_code == 200
    page = text(answer)
    assert f"Satu tabel paling banyak {MAX_ROWS} baris; tabel ini 400 baris." in top_box(page)
    assert ">indikator 400</textarea>" in page
    assert not IkuSubmission.objects.filter(dossier=blank_konsep).exists()


def test_a_grid_pasted_past_what_django_reads_is_told_the_row_limit_not_to_send_again(people, blank_konsep, settings):
    """A whole sheet pasted (past DATA_UPLOAD_MAX_NUMBER_FIELDS, about 1,200 rows) met "Permintaan tidak
    dapat dibaca ... kirim ulang", which sending again met again; nothing typed can be given back."""
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2_000
    rows = [{name: f"{name} {n}" for name in FIELDS} for n in range(1, 2_000 // len(FIELDS) + 2)]
    answer = client_for(people, "dinkes").post(f"/dosier/{blank_konsep.pk}/iku/draf/", grid(rows, blank_konsep))
    assert answer.status_code == 400
    page = html.unescape(text(answer))
    assert "Isian terlalu besar untuk dikirim sekaligus" in page and "lebih dari 2.000 isian" in page
    assert f"Tabel IKU memuat paling banyak {MAX_ROWS} baris" in page and "templat XLSX" in page
    assert "tidak dapat ditampilkan ulang" in page
    assert "kirim ulang" not in page and "Kirim lagi" not in page and "Yang Anda ketik" not in page
    assert not IkuSubmission.objects.filter(dossier=blank_konsep).exists()


def test_a_grid_whose_text_is_past_what_django_reads_is_told_so(people, blank_konsep, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    answer = client_for(people, "dinkes").post(f"/dosier/{blank_konsep.pk}/iku/draf/",
                                               grid([{"indikator": "x" * (1024 * 1024 + 1)}], blank_konsep))
    assert answer.status_code == 400
    page = html.unescape(text(answer))
    assert "Isian terlalu besar untuk dikirim sekaligus" in page and "lebih dari 1 MB" in page
    assert "kirim ulang" not in page
