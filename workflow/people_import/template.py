"""The empty list the admin downloads and fills."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from workflow.models import Skpd
from workflow.people_import.columns import COLUMNS, LIMITS, MAX_ROWS, SHEET, WIDTHS
from workflow.people_import.planning import ROLES_ACCEPTED


def template_bytes() -> bytes:
    """The empty list the admin fills: the columns with their headings, NIP cells kept as text (typed
    as a number, Excel rounds its last digits), the active agencies and the roles to choose from."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    fill = PatternFill("solid", fgColor="DDE7F0")
    for column, (name, label) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=label)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(vertical="center")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        if name == "nip":
            for line in range(2, MAX_ROWS + 2):
                sheet.cell(row=line, column=column).number_format = "@"
        if name in LIMITS:
            rule = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(LIMITS[name]),
                                  allow_blank=True, showErrorMessage=True, errorTitle="Terlalu panjang",
                                  error=f"{label} paling banyak {LIMITS[name]} karakter.")
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    agencies = book.create_sheet("Daftar SKPD")
    for column, label in enumerate(("Nama pendek (tulis ini di kolom SKPD)", "Singkatan", "Nama resmi"), start=1):
        agencies.cell(row=1, column=column, value=label).font = Font(bold=True)
    active = list(Skpd.objects.active().in_order().values_list("nama_pendek", "singkatan", "nama"))
    for line, names in enumerate(active, start=2):
        for column, value in enumerate(names, start=1):
            agencies.cell(row=line, column=column, value=value).data_type = "s"
    for letter, width in (("A", 40), ("B", 14), ("C", 60)):
        agencies.column_dimensions[letter].width = width
    if active:
        column = get_column_letter([name for name, _ in COLUMNS].index("skpd") + 1)
        # A list to pick from, not a refusal: the abbreviation and the official name are read too.
        choice = DataValidation(type="list", formula1=f"='Daftar SKPD'!$A$2:$A${len(active) + 1}", allow_blank=True,
                                showErrorMessage=False)
        choice.add(f"{column}2:{column}{MAX_ROWS + 1}")
        sheet.add_data_validation(choice)
    notes = book.create_sheet("Petunjuk")
    lines = (
        "Isi lembar Pengguna mulai baris 2, satu orang satu baris. Baris kosong dilewati.",
        "Nama pengguna wajib: dipakai untuk masuk (huruf, angka, . @ + - _, tanpa spasi), mis. budi.santoso.",
        "Nama lengkap wajib untuk pengguna baru, dengan gelar seperti pada naskah.",
        "NIP 18 angka, boleh dengan spasi (19660801 198803 1 001). Kolomnya berformat Teks: jangan diubah ke Angka.",
        "SKPD: nama pendek dari lembar Daftar SKPD (singkatan atau nama resmi juga dibaca). Kosongkan untuk pegawai Biro.",
        "SKPD yang belum ada tidak dibuat oleh impor: tambahkan dulu di Admin › SKPD.",
        f"Peran: {ROLES_ACCEPTED}; beberapa dipisah koma (mis. Kasubag, Tim). Kosong dengan SKPD terisi berarti SKPD.",
        "Pengguna yang sudah ada (nama pengguna yang sama) diperbarui: sel kosong tidak mengubah datanya, peran hanya "
        "ditambah, tidak dicabut.",
        "Pengguna baru menerima tautan atur kata sandi di e-mail-nya; tanpa e-mail, admin menetapkan kata sandi awalnya.",
        "Impor tidak memberi hak admin (staf admin, superuser, grup): berikan di halaman pengguna.",
        "Berkas CSV dengan judul kolom yang sama juga diterima.",
    )
    for line, text in enumerate(lines, start=1):
        notes.cell(row=line, column=1, value=text)
    notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
