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
