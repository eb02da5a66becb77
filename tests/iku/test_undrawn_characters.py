"""A character no installed print font draws (Chinese, Japanese) would print as an empty box in the
decree: refused beside its cell, by the grid, a file and the API alike, while a draft keeps it.
The mathematical signs real formulas use (≥, Σ, √, ²) print, and pass."""

import io

from openpyxl import Workbook

from iku import xlsx
from iku.models import IkuSubmission
from iku.rows import check_table
from lib.glyphs import undrawn
from tests.api.helpers import as_token
from tests.factories import client_for
from tests.iku.test_grid import grid, send_url

FORMULA = "Σ capaian ≥ 95% × √n, m² ± 0,5 → “A” – ‰ • …"
UNDRAWN = "Indeks kepuasan 中"


def test_what_the_fonts_draw_passes_and_what_they_lack_is_named():
    assert undrawn(FORMULA) is None and undrawn("Kesehatan\tibu\n") is None
    assert undrawn(UNDRAWN) == "中" and undrawn("Target あ 2027") == "あ"
    found = check_table([{"indikator": UNDRAWN, "formula": FORMULA, "target": "80"}])
    assert [(p.row, p.field) for p in found.errors] == [(1, "indikator")]
    assert "“中” (U+4E2D)" in found.errors[0].message and "kotak kosong" in found.errors[0].message
    assert found.keepable


def test_the_grid_refuses_the_send_beside_the_cell_and_keeps_the_draft(people, blank_konsep):
    client = client_for(people, "dinkes")
    rows = [{"indikator": "Angka harapan hidup", "formula": FORMULA, "target": "72"},
            {"indikator": UNDRAWN, "target": "80"}]
    page = client.post(send_url(blank_konsep), grid(rows, blank_konsep)).content.decode()
    assert "tidak ada pada huruf cetak naskah" in page and UNDRAWN in page  # beside it, as typed
    assert not IkuSubmission.objects.filter(dossier=blank_konsep, submitted_at__isnull=False).exists()
    client.post(f"/dosier/{blank_konsep.pk}/iku/draf/", grid(rows, blank_konsep))
    draft = IkuSubmission.objects.get(dossier=blank_konsep, skpd=people["dinkes"].skpd).draft
    assert [row["indikator"] for row in draft] == ["Angka harapan hidup", UNDRAWN]


def test_a_file_names_the_cell(people, blank_konsep):
    book = Workbook()
    book.active.append(["Sasaran Strategis", "Indikator Kinerja", "Formula", "Satuan", "Target"])
    book.active.append(["Meningkatnya derajat kesehatan", "Usia harapan hidup", FORMULA, "tahun", "72"])
    book.active.append([None, "Angka kematian ibu", "Jumlah kematian 中", "per 100.000", "150"])
    out = io.BytesIO()
    book.save(out)
    read = xlsx.read_upload(io.BytesIO(out.getvalue()))
    assert [(p.row, p.column) for p in read.problems] == [(3, "C")]
    assert "“中”" in read.problems[0].message


def test_the_api_refuses_it_in_indonesian(people, blank_konsep):
    caller = as_token(people, "dinkes")
    blank_konsep.refresh_from_db()
    answer = caller.post(f"/api/v1/dosier/{blank_konsep.pk}/iku-saya/kirim/", {"baris": [{"indikator": UNDRAWN}]},
                         HTTP_IF_MATCH=f'"{blank_konsep.pk}-{blank_konsep.revision}-{blank_konsep.state}"')
    assert answer.status_code == 400, answer.content
    assert "tidak ada pada huruf cetak naskah" in answer.content.decode()
