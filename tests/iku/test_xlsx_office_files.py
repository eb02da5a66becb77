"""IKU workbooks as the programs offices really use save them: WPS Office, LibreOffice, Google
Sheets, the exports of other government systems. What Excel's own files carry is not assumed."""

import io
import re
import zipfile

from iku import xlsx
from tests.iku.test_xlsx import PUBLISHED, at_konsep, draft_of, post_file, upload, workbook  # noqa: F401


def rewritten(content: bytes, part: str, change) -> bytes:
    """The workbook with one part's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            target.writestr(member, change(data) if member.filename == part else data)
    return out.getvalue()


def with_dimension(content: bytes, ref: str) -> bytes:
    return rewritten(content, "xl/worksheets/sheet1.xml",
                     lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml))


def test_a_workbook_whose_sheet_misstates_its_size_is_read_whole(people, at_konsep):  # noqa: F811
    # WPS Office and streaming writers (Apache POI's, behind many government systems' exports) record
    # the sheet's used range as "A1" whatever it holds; the table was refused as having no header.
    wps = with_dimension(workbook(PUBLISHED), "A1")
    read = xlsx.read_upload(upload(wps))
    assert read.ok, [str(p) for p in read.problems]
    assert [row["indikator"] for row in read.rows] == ["Usia harapan hidup", "Angka kematian ibu",
                                                        "Jumlah kasus kematian bayi"]
    page = post_file(people, at_konsep, wps).content.decode()
    assert "3 baris dimuat dari iku.xlsx" in page



def test_a_row_of_years_right_of_the_target_heading_is_found_whatever_size_the_sheet_records():
    # The years stand under blank headings right of "Target", which no cell of the header reaches.
    lines = [["No", "Sasaran", "Indikator", "Formula", "Satuan", "Target"],
             [None, None, None, None, None, 2026, 2027, 2028],
             [1, "Meningkatnya derajat kesehatan masyarakat", "Usia harapan hidup", "Rata-rata umur", "tahun", 71, 72, 73]]
    for content in (workbook(lines), with_dimension(workbook(lines), "A1")):
        read = xlsx.read_upload(upload(content), year=2027)
        assert read.ok, [str(p) for p in read.problems]
        assert [row["target"] for row in read.rows] == ["72"]


def compound(*streams: str) -> bytes:
    """A file in Office's older container (OLE2) whose directory names `streams`, as Excel 97-2003
    writes a workbook and as Office keeps an XLSX encrypted with a password."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + b"\0" * 64 for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + directory + b"\0" * 1024


def test_a_workbook_locked_with_a_password_is_told_so_not_called_damaged(people, at_konsep):  # noqa: F811
    locked = compound("Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    page = post_file(people, at_konsep, locked, "IKU Dinkes 2027.xlsx").content.decode()
    assert "Berkas ini dikunci dengan kata sandi" in page
    assert "Berkas rusak" not in page
    assert draft_of(people, at_konsep) == []


def test_an_excel_97_workbook_named_xlsx_is_told_to_be_saved_again_as_xlsx():
    read = xlsx.read_upload(upload(compound("Root Entry", "Workbook", "\x05SummaryInformation"), "IKU.xlsx"))
    assert [str(p) for p in read.problems] == [
        "Berkas ini berformat Excel 97-2003 walau namanya .xlsx. Buka di Excel, pilih Simpan Sebagai › Buku Kerja "
        "Excel (.xlsx), lalu unggah lagi."]
