"""In Chromium: what an agency pastes into the IKU grid lands as it was in the spreadsheet. Only a
real heading line is dropped, not a first row whose Sasaran begins with "Sasaran" or "No"; a cell
beginning with a quote keeps it, and an unclosed quote does not swallow the rows after it; rows
moved and removed afterwards reach the server in the order shown. A heading of two lines, years
under "Target", gives the dossier year's target, as an uploaded file does. Under a heading line each
column goes where its heading says, by the XLSX reader's headings: a column the grid has none for
(Kondisi Awal) is left out and said, and its year is no target year."""

import pytest

from iku.models import IkuSubmission
from tests.iku.test_grid_browser import paste, paste_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The heading line as a table with a "No" column has it, the row numbering its columns as published
# tables have it, and two numbered rows below.
WITH_HEADING = "\r\n".join([
    "No\tSasaran Strategis\tIndikator Kinerja Utama\tPenjelasan/Alasan\tFormula/Cara Pengukuran\tSatuan\tTarget\t"
    "Sumber Data\tPenanggung Jawab",
    "\t".join(f"({n})" for n in range(1, 10)),
    "1\tSasaran A\tIndikator A\tPenjelasan A\tRumus A\tpersen\t80 (2027)\tLaporan\tBidang A",
    "2\t\tIndikator B\tPenjelasan B\tRumus B\tpersen\t75 (2027)\tLaporan\tBidang B",
]) + "\r\n"
SASARAN_1 = "Sasaran 1: Meningkatnya kesejahteraan sosial"
# No heading line: the first row's Sasaran only begins with "Sasaran". Its Penjelasan begins with a
# quote written as typed; the next row's is a quoted cell (a line break, doubled quotes); the third
# row's indicator opens a quote it never closes.
WITHOUT_HEADING = "\r\n".join([
    f'{SASARAN_1}\tPersentase PMKS tertangani\t"Zero" stunting desa\tRumus 1\tpersen\t80\tLaporan\tBidang Rehsos',
    '\tPersentase lansia terlayani\t"Baris ""satu""\nbaris dua"\tRumus 2\tpersen\t70\tLaporan\tBidang Rehsos',
    '\t"Desa sehat tanpa tanda tutup\tPenjelasan 3\tRumus 3\tpersen\t60\tLaporan\tBidang Rehsos',
    "\tIndikator sesudahnya\tPenjelasan 4\tRumus 4\tpersen\t50\tLaporan\tBidang Rehsos",
]) + "\r\n"
NORMALISASI = "Normalisasi data terpadu kesejahteraan sosial"
# The same from Excel's HTML: a first row whose Sasaran begins with "No".
EXCEL_HTML = f"""<table><tr><td>{NORMALISASI}</td><td>Indikator N1</td></tr>
<tr><td>Nomor induk penerima bantuan</td><td>Indikator N2</td></tr></table>"""


def test_a_paste_keeps_the_first_row_and_quotes_and_drops_only_a_heading_line(blank_konsep, sign_in):
    from playwright.sync_api import expect

    def value(row, field):
        return page.locator(f"[name='r-{row}-{field}']")

    dossier = blank_konsep
    with sign_in("dinsos") as page:
        page.goto(dossier.grid_url)
        rows = page.locator("tr.iku-row")
        paste(page, "[name='r-1-sasaran_strategis']", WITH_HEADING)
        expect(value(1, "sasaran_strategis")).to_have_value("Sasaran A")
        expect(value(1, "penanggung_jawab")).to_have_value("Bidang A")
        expect(value(2, "indikator")).to_have_value("Indikator B")
        expect(value(3, "indikator")).to_have_value("")

        paste(page, "[name='r-3-sasaran_strategis']", WITHOUT_HEADING)
        expect(value(3, "sasaran_strategis")).to_have_value(SASARAN_1)
        expect(value(3, "indikator")).to_have_value("Persentase PMKS tertangani")
        expect(value(3, "penjelasan")).to_have_value('"Zero" stunting desa')
        expect(value(4, "penjelasan")).to_have_value('Baris "satu"\nbaris dua')
        expect(value(5, "indikator")).to_have_value('"Desa sehat tanpa tanda tutup')
        expect(value(5, "penjelasan")).to_have_value("Penjelasan 3")
        expect(value(6, "indikator")).to_have_value("Indikator sesudahnya")
        expect(value(6, "penanggung_jawab")).to_have_value("Bidang Rehsos")

        page.get_by_role("button", name="Tambah baris").click()
        paste_data(page, "[name='r-7-sasaran_strategis']", {
            "text/html": EXCEL_HTML, "text/plain": f"{NORMALISASI}\tIndikator N1\r\nNomor induk penerima bantuan\tIndikator N2\r\n",
        })
        expect(value(7, "sasaran_strategis")).to_have_value(NORMALISASI)
        expect(value(8, "indikator")).to_have_value("Indikator N2")
        expect(rows).to_have_count(8)

        # Moved down and removed: the rows below are renamed, as the server reads them.
        rows.nth(2).get_by_role("button", name="Turunkan baris").click()
        expect(value(4, "sasaran_strategis")).to_have_value(SASARAN_1)
        rows.nth(0).get_by_role("button", name="Hapus baris").click()
        expect(value(1, "indikator")).to_have_value("Indikator B")
        expect(rows.nth(0).locator(".row-number")).to_have_text("1")
        expect(value(3, "indikator")).to_have_value("Persentase PMKS tertangani")
        page.get_by_role("button", name="Simpan draf", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("Draf disimpan: 7 baris")
    draft = IkuSubmission.objects.get(dossier=dossier).draft
    assert [row["indikator"] for row in draft] == [
        "Indikator B", "Persentase lansia terlayani", "Persentase PMKS tertangani", '"Desa sehat tanpa tanda tutup',
        "Indikator sesudahnya", "Indikator N1", "Indikator N2",
    ]
    assert draft[2]["penjelasan"] == '"Zero" stunting desa' and draft[2]["sasaran_strategis"] == SASARAN_1


def years_table(years, targets):
    """A published table's two-line heading as Excel's HTML gives it: "Target" over a line of years,
    the other headings merged down over both lines, then the column numbers and two rows."""
    def merged(*names):
        return "".join(f"<td rowspan=2>{name}</td>" for name in names)

    head = ("<tr>" + merged("No", "Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan",
                            "Formula/Cara Pengukuran", "Satuan") + f"<td colspan={len(years)}>Target</td>"
            + merged("Sumber Data", "Penanggung Jawab") + "</tr>"
            "<tr>" + "".join(f"<td>{year}</td>" for year in years) + "</tr>"
            "<tr>" + "".join(f"<td>({n})</td>" for n in range(1, len(years) + 9)) + "</tr>")
    rows = "".join(f"<tr><td>{n}</td><td>{'Sasaran A' if n == 1 else ''}</td><td>Indikator {n}</td><td></td>"
                   f"<td>Rumus {n}</td><td>persen</td>" + "".join(f"<td>{t}</td>" for t in targets[n - 1])
                   + f"<td>Laporan {n}</td><td>Bidang {n}</td></tr>" for n in (1, 2))
    return f"<table>{head}{rows}</table>"


def test_a_heading_of_two_lines_gives_the_dossier_years_target(blank_konsep, sign_in):
    from playwright.sync_api import expect

    dossier = blank_konsep
    assert dossier.tahun == 2027
    targets = [["70", "75", "80"], ["60", "65", "70 (TA 2027)"]]
    with sign_in("dinkes") as page:
        page.goto(dossier.grid_url)
        paste_data(page, "[name='r-1-sasaran_strategis']", {
            "text/html": years_table(["2025", "2026", "TA 2027"], targets), "text/plain": "x\ty"})
        expect(page.locator("[name='r-3-indikator']")).to_have_value("")  # no line of years or numbers
        expect(page.locator("[name='r-1-indikator']")).to_have_value("Indikator 1")
        expect(page.locator("[name='r-1-target']")).to_have_value("80")
        expect(page.locator("[name='r-2-target']")).to_have_value("70 (TA 2027)")
        expect(page.locator("[name='r-2-sumber_data']")).to_have_value("Laporan 2")
        expect(page.locator("#catatan-tempel")).to_have_text(
            "Tabel yang ditempel memuat target tahun 2025, 2026, 2027: diisi target tahun 2027, tahun dosier ini.")

        # Without the dossier's year no target is taken, and that is said.
        paste_data(page, "[name='r-1-sasaran_strategis']", {
            "text/html": years_table(["2024", "2025", "2026"], targets), "text/plain": "x\ty"})
        expect(page.locator("[name='r-1-target']")).to_have_value("")
        expect(page.locator("[name='r-1-sumber_data']")).to_have_value("Laporan 1")
        expect(page.locator("#catatan-tempel")).to_contain_text("bukan tahun 2027, tahun dosier ini")


# A Renstra table as a spreadsheet copies it: a "No" column, Kondisi Awal (no column of the grid)
# between Satuan and Target, and a heading of two lines whose line of years also holds the year of
# Kondisi Awal, under Target blank headings spread over three years.
RENSTRA = "\r\n".join([
    "No\tSasaran Strategis\tIndikator Kinerja Utama\tSatuan\tKondisi Awal\tTarget\t\t\tPenanggung Jawab",
    "\t\t\t\t2024\t2025\t2026\t2027\t",
    "1\tMeningkatnya perlindungan sosial\tPersentase PMKS yang tertangani\t%\t75\t80\t85\t90\tBidang Linjamsos",
]) + "\r\n"
# Headings as Permenpan-RB's form and other agencies write them, a target per year in the heading
# itself, and a column the grid has none for.
PERMENPAN = "\r\n".join([
    "No.\tKinerja Utama\tIndikator\tDefinisi Operasional\tCara Perhitungan\tSatuan\tTarget 2026\tTarget 2027\t"
    "Unit Penanggung Jawab\tKeterangan",
    "1\tSasaran P\tIndikator P\tDefinisi P\tRumus P\tindeks\t3,1\t3,2\tBidang P\tcatatan lain",
]) + "\r\n"


def test_a_heading_line_places_each_column_by_its_heading(blank_konsep, sign_in):
    from playwright.sync_api import expect

    def value(row, field):
        return page.locator(f"[name='r-{row}-{field}']")

    dossier = blank_konsep
    assert dossier.tahun == 2027
    note = "#catatan-tempel"
    with sign_in("dinsos") as page:
        page.goto(dossier.grid_url)
        paste(page, "[name='r-1-sasaran_strategis']", RENSTRA)
        for field, expected in [
            ("sasaran_strategis", "Meningkatnya perlindungan sosial"), ("indikator", "Persentase PMKS yang tertangani"),
            ("penjelasan", ""), ("formula", ""), ("satuan", "%"), ("target", "90"), ("sumber_data", ""),
            ("penanggung_jawab", "Bidang Linjamsos"),
        ]:
            expect(value(1, field)).to_have_value(expected)
        expect(value(2, "indikator")).to_have_value("")  # the line of years is no row
        expect(page.locator(note)).to_have_text(
            "Tabel yang ditempel memuat target tahun 2025, 2026, 2027: diisi target tahun 2027, tahun dosier ini. "
            "Kolom \u201cKondisi Awal\u201d tidak ditempel: judulnya bukan judul kolom tabel IKU. Bila isinya termasuk "
            "IKU, salin kolom itu saja lalu tempel ke kolom tabel yang sesuai.")

        # Pasted into another column, the headings still say where each column goes.
        paste(page, "[name='r-3-penjelasan']", PERMENPAN)
        for field, expected in [
            ("sasaran_strategis", "Sasaran P"), ("indikator", "Indikator P"), ("penjelasan", "Definisi P"),
            ("formula", "Rumus P"), ("satuan", "indeks"), ("target", "3,2"), ("penanggung_jawab", "Bidang P"),
        ]:
            expect(value(3, field)).to_have_value(expected)
        expect(page.locator(note)).to_contain_text("memuat target tahun 2026, 2027: diisi target tahun 2027")
        expect(page.locator(note)).to_contain_text("Kolom \u201cKeterangan\u201d tidak ditempel")
        expect(page.locator(note)).not_to_contain_text("No.")
        expect(value(1, "indikator")).to_have_value("Persentase PMKS yang tertangani")

        page.get_by_role("button", name="Simpan draf", exact=True).click()
        expect(page.locator(".msg")).to_contain_text("Draf disimpan: 2 baris")
    draft = IkuSubmission.objects.get(dossier=dossier).draft
    assert [(row["satuan"], row["target"]) for row in draft] == [("%", "90"), ("indeks", "3,2")]
