"""People brought in from a spreadsheet the admin prepared (Admin › Pengguna › Impor dari berkas): the
bureau's staff and the agencies' officers on the first day, instead of one add page each.

The file is read whole and checked against the database before anything is written: every refused
row is named by its row and column, in words, and the admin sees what each row will do (a new
account, a change, nothing) before confirming. The confirmation reads the file's rows again (carried
signed in the page, never trusted as sent) and plans them again under a lock: what it writes is what
the preview showed, or nothing. A row names its account by user name; the same file imported twice
changes nothing the second time. An agency the file names must already be on the SKPD list: the
import never makes one.
"""

import csv
import difflib
import hashlib
import io
import os
import re
import unicodedata
from contextlib import closing
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from iku.cell_text import cell_text
from iku.xlsx import hidden_lines, merged_ranges
from lib.archives import LOCKED, OFFICE_LEGACY, OFFICE_LOCKED, UnsafeArchive, check_zip_expansion, compound_file
from lib.nip import format_nip, normalize_nip, validate_nip
from workflow import policy
from workflow.models import Skpd, User, UserRole
from workflow.roles import INTERNAL_ROLES, Role

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Pengguna"
# The template's columns, in its order, with the headings it writes.
COLUMNS = (
    ("username", "Nama pengguna"),
    ("nama", "Nama lengkap"),
    ("nip", "NIP"),
    ("jabatan", "Jabatan"),
    ("pangkat_golongan", "Pangkat/golongan"),
    ("email", "E-mail"),
    ("skpd", "SKPD"),
    ("peran", "Peran"),
)
LABELS = dict(COLUMNS)
# The fields of the account a row writes as typed (its agency and roles are looked up).
TEXT_FIELDS = ("nama", "nip", "jabatan", "pangkat_golongan", "email")
LIMITS = {name: User._meta.get_field(name).max_length for name in ("username", *TEXT_FIELDS)}
WIDTHS = {"username": 20, "nama": 34, "nip": 24, "jabatan": 30, "pangkat_golongan": 18, "email": 30, "skpd": 30,
          "peran": 18}
# Headings as people write them, read in lower case with spaces made one and a trailing "*" or ":"
# and any "(…)" hint dropped.
HEADINGS = {
    "username": ("nama pengguna", "username", "user name", "user", "akun", "nama akun", "login", "user id"),
    "nama": ("nama lengkap", "nama", "nama lengkap dengan gelar", "nama pegawai", "nama dan gelar"),
    "nip": ("nip", "nomor induk pegawai", "nip baru"),
    "jabatan": ("jabatan", "nama jabatan"),
    "pangkat_golongan": ("pangkat/golongan", "pangkat / golongan", "pangkat", "golongan", "pangkat golongan",
                         "pangkat/gol", "pangkat/gol.", "gol", "gol."),
    "email": ("e-mail", "email", "surel", "alamat e-mail", "alamat email", "e mail", "surat elektronik"),
    "skpd": ("skpd", "opd", "perangkat daerah", "instansi", "skpd/opd", "nama skpd", "nama opd", "unit kerja",
             "satuan kerja", "satker", "asal instansi", "nama instansi", "asal opd", "asal skpd", "nama perangkat daerah"),
    "peran": ("peran", "role", "hak akses", "peran di aplikasi"),
}
NUMBER_HEADING = re.compile(r"no\.?|nomor|no\.? urut|#")
HEADER_SEARCH_ROWS = 10
# Role names as people write them (lower case, dots dropped, spaces made one).
ROLE_WORDS = {
    Role.KASUBAG: ("kasubag", "kasubbag", "kasub bag", "kasubag tu", "kasubbag tu", "kepala sub bagian",
                   "kepala subbagian", "kepala sub bag", "kepala subbag", "kepala sub bagian tata usaha",
                   "kepala subbagian tata usaha", "kasubag tata usaha"),
    Role.STAF: ("staf", "staff", "pelaksana", "staf biro", "staf pelaksana"),
    Role.KABAG: ("kabag", "kepala bagian", "kabag kesra"),
    Role.KABIRO: ("kabiro", "karo", "kepala biro"),
    Role.TIM: ("tim", "anggota tim", "tim penyusun", "tim penyelenggara"),
    Role.SKPD: ("skpd", "opd", "petugas skpd", "operator skpd", "petugas opd", "operator opd", "perangkat daerah"),
}
ROLE_OF = {word: role for role, words in ROLE_WORDS.items() for word in words}
ROLE_SPLIT = re.compile(r"\s*(?:[,;/&+\n]|\bdan\b)\s*")
# A NIP a spreadsheet took as a number: written in its scientific notation by a CSV ("1,96608E+17").
NUMBER_NIP = re.compile(r"\d+(?:[.,]\d+)?e\+?\d+", re.IGNORECASE)
ROUNDED_NIP = ("NIP ini tersimpan sebagai angka, sehingga {app} hanya menyimpan 15 angka pertamanya dan angka "
               "terakhirnya berubah. Format kolom NIP sebagai Teks, ketik ulang NIP-nya, lalu unggah lagi.")
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_USERNAME = UnicodeUsernameValidator()
ADMIN_ACCOUNT = ("Akun “{username}” adalah akun admin (staf admin atau superuser): hanya superuser yang dapat "
                 "mengubahnya, juga lewat impor. Hapus baris ini, atau minta superuser mengimpornya.")
# What a new account receives: a link by e-mail to set its password, sent with the confirmation
# (unless the admin leaves that for later); without an address, a first password from the admin.
NEW_RECEIVES_LINK = ("Akun baru tanpa kata sandi. Tautan atur kata sandi dikirim ke {email} saat disimpan (berlaku "
                     "{days} hari); ia mengatur kata sandinya sendiri lalu masuk.")
NEW_RECEIVES = ("Akun baru tanpa kata sandi, tanpa e-mail: tidak menerima tautan atur kata sandi. Admin menetapkan "
                "kata sandi awalnya (halaman pengguna › Setel sandi) dan menyampaikannya; ia lalu menggantinya di menu "
                "Kata sandi.")


@dataclass
class Problem:
    message: str
    row: int | None = None
    column: str = ""  # the column's letter
    heading: str = ""

    def __str__(self) -> str:
        place = ", ".join(part for part in (
            f"baris {self.row}" if self.row else "",
            f"kolom {self.column}" + (f" ({self.heading})" if self.heading else "") if self.column else "",
        ) if part)
        return f"{place[:1].upper() + place[1:]}: {self.message}" if place else self.message


@dataclass
class Sheet:
    """The file's rows as text, each with its line in the file; the letter of each column read."""

    name: str = ""
    rows: list = field(default_factory=list)  # [(line, {field: text})]
    letters: dict = field(default_factory=dict)
    headings: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def where(self, line, name) -> dict:
        return {"row": line, "column": self.letters.get(name, ""), "heading": self.headings.get(name, "")}

    def payload(self) -> dict:
        """What the confirmation carries back (signed): the rows and where each column was."""
        return {"name": self.name, "rows": self.rows, "letters": self.letters, "headings": self.headings,
                "problems": [(p.message, p.row, p.column, p.heading) for p in self.problems], "notes": self.notes}

    @classmethod
    def from_payload(cls, data) -> "Sheet":
        return cls(name=data["name"], rows=[(line, row) for line, row in data["rows"]], letters=data["letters"],
                   headings=data["headings"], problems=[Problem(*p) for p in data["problems"]],
                   notes=list(data.get("notes", [])))


@dataclass
class Planned:
    """What one row will do: "baru" (a new account), "ubah" (changes to one), "tetap" (nothing)."""

    line: int
    username: str
    nama: str
    action: str
    changes: list = field(default_factory=list)
    roles: list = field(default_factory=list)  # the roles it gives (added, for an account already there)
    skpd: object = None
    values: dict = field(default_factory=dict)  # the fields it writes
    account: object = None
    receives: str = ""
    notes: list = field(default_factory=list)
    # The account as the row leaves it, for the preview: its agency, and every role it holds.
    skpd_shown: str = ""
    roles_shown: str = ""

    @property
    def roles_label(self) -> str:
        return ", ".join(Role(role).label for role in self.roles)


@dataclass
class Plan:
    rows: list
    problems: list
    notes: list

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def fingerprint(self) -> str:
        """The plan in a word: the confirmation writes only the plan the preview showed."""
        said = [(r.line, r.action, r.username, r.changes, r.roles, r.skpd.pk if r.skpd else None) for r in self.rows]
        return hashlib.sha256(repr(said).encode()).hexdigest()


def one_line(value) -> str:
    """A cell as one line of text: control characters dropped, every run of spaces (a line break
    typed with Alt+Enter, a non-breaking space pasted from a web page) made one, none at the ends."""
    return " ".join(_CONTROL.sub("", str(value or "")).split())


def _heading_key(text: str) -> str:
    text = re.sub(r"\([^)]*\)", "", one_line(text).lower())
    return re.sub(r"\s*/\s*", "/", text.strip(" *:"))


def _field_of(text: str) -> str | None:
    key = _heading_key(text)
    for name, words in HEADINGS.items():
        if key in words or key.replace("/", " / ") in words:
            return name
    return None


# Reading the file.

def read_file(upload) -> Sheet:
    """The rows of an uploaded XLSX or CSV file; a file that cannot be read is one problem, said so."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    sheet = Sheet(name=name)
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".xlsx", ".xlsm", ".csv"):
        sheet.problems.append(Problem("Berkas harus berformat XLSX (Excel) atau CSV. Simpan daftar Anda sebagai .xlsx "
                                      "atau .csv, lalu unggah lagi."))
        return sheet
    size = getattr(upload, "size", None)
    if not size:
        sheet.problems.append(Problem("Berkas kosong."))
        return sheet
    if size > MAX_BYTES:
        sheet.problems.append(Problem(f"Berkas terlalu besar ({size // 1024:,} KB); batasnya {MAX_BYTES // 1024:,} KB."
                                      .replace(",", ".")))
        return sheet
    stream = io.BytesIO(upload.read())
    container = compound_file(stream)
    if container:
        message = OFFICE_LOCKED if container == LOCKED else OFFICE_LEGACY
        sheet.problems.append(Problem(message.format(app="Excel", ext=extension, kind="Buku Kerja Excel (.xlsx)")))
        return sheet
    if extension == ".csv":
        _read_csv(stream.getvalue(), sheet)
    else:
        _read_xlsx(stream, sheet)
    if len(sheet.rows) > MAX_ROWS:
        sheet.problems.append(Problem(f"Berkas berisi {len(sheet.rows):,} baris; paling banyak {MAX_ROWS:,} baris per "
                                      "impor. Bagi menjadi beberapa berkas.".replace(",", ".")))
        sheet.rows = []
    elif not sheet.rows and not sheet.problems:
        sheet.problems.append(Problem("Berkas tidak berisi baris pengguna di bawah judul kolom."))
    return sheet


def _read_xlsx(stream, sheet: Sheet) -> None:
    try:
        check_zip_expansion(stream, max_total=20 * MAX_BYTES, max_ratio=100)
        book = load_workbook(stream, read_only=True, data_only=True)
    except UnsafeArchive as problem:
        sheet.problems.append(Problem(f"{problem} Pastikan berkasnya XLSX dari Excel atau LibreOffice."))
        return
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same to the user
        sheet.problems.append(Problem("Berkas tidak dapat dibaca sebagai XLSX. Pastikan berkasnya dari Excel atau "
                                      "LibreOffice, atau simpan sebagai CSV."))
        return
    try:
        # The list is on the first visible sheet with a header, the template's own first: a sheet
        # of notes ("Petunjuk") or of agencies is skipped.
        sheets = sorted((s for s in book.worksheets if s.sheet_state == "visible"), key=lambda s: s.title != SHEET)
        for found in sheets:
            found.reset_dimensions()
            with closing(found.iter_rows()) as cells:
                lines = enumerate(cells, start=1)
                if _take_header(sheet, ((line, [cell_text(c) for c in row]) for line, row in lines)):
                    # A row filtered out or folded away is not on the admin's screen: importing it
                    # would make an account nobody saw in the list (iku.xlsx leaves them out too).
                    hidden = hidden_lines(found)
                    merged_down = MergedDown(merged_ranges(found))
                    skipped = []
                    for line, row in lines:
                        if line in hidden:
                            if any(cell_text(cell).strip() for cell in row if cell.value is not None):
                                skipped.append(line)
                            continue
                        texts = [_xlsx_cell(sheet, line, index, cell) for index, cell in enumerate(row)]
                        _take_row(sheet, line, merged_down.filled(line, texts))
                    if skipped:
                        sheet.notes.append(hidden_note(skipped))
                    return
        _no_header(sheet)
    finally:
        book.close()


class MergedDown:
    """A cell merged down over several rows, as an office's list writes one agency (or one role) for
    all its officers: the admin sees its value beside each of those rows, so each row reads it,
    where openpyxl gives it in the top row alone. A range across columns (a title over the table)
    keeps its value in its first cell."""

    def __init__(self, ranges):
        # Each line a range covers below its top -> [(column index, top line)].
        self.covered: dict[int, list] = {}
        for min_col, min_row, max_col, max_row in ranges:
            if min_col == max_col:
                for line in range(min_row + 1, max_row + 1):
                    self.covered.setdefault(line, []).append((min_col - 1, min_row))
        self.tops = {(top, index) for cells in self.covered.values() for index, top in cells}
        self.values: dict = {}

    def filled(self, line: int, texts: list) -> list:
        for index, text in enumerate(texts):
            if (line, index) in self.tops:
                self.values[(line, index)] = text
        for index, top in self.covered.get(line, ()):
            texts += [""] * (index + 1 - len(texts))
            texts[index] = self.values.get((top, index), "")
        return texts


HIDDEN_NAMED = 10


def hidden_note(lines: list[int]) -> str:
    named = ", ".join(map(str, lines[:HIDDEN_NAMED])) + (f", dan {len(lines) - HIDDEN_NAMED} lagi"
                                                         if len(lines) > HIDDEN_NAMED else "")
    return (f"{len(lines)} baris tersembunyi atau tersaring tidak dibaca (baris {named}): tidak ditambahkan dan tidak "
            "mengubah apa pun. Bila orangnya termasuk, tampilkan barisnya (Unhide) atau hapus filternya, simpan, lalu "
            "unggah lagi.")


def _xlsx_cell(sheet, line, index, cell) -> str:
    if cell.value is None:
        return ""
    nip_column = sheet.letters.get("nip") == get_column_letter(index + 1)
    if nip_column and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        # A spreadsheet keeps a number in 15 digits: an 18-digit NIP typed as one lost its last ones.
        if abs(cell.value) >= 1e15:
            sheet.problems.append(Problem(ROUNDED_NIP.format(app="Excel"), **sheet.where(line, "nip")))
            return ""
        return str(int(cell.value))
    return cell_text(cell)


def _read_csv(data: bytes, sheet: Sheet) -> None:
    # Excel saves "CSV UTF-8" with a byte-order mark, and plain "CSV" in the Windows code page.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel set to Indonesian separates with ";" (the comma is the decimal sign); others with ",".
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def lines():
        start = 1
        try:
            for row in reader:
                yield start, row
                start = reader.line_num + 1
        except csv.Error:
            sheet.problems.append(Problem(f"Baris {start} tidak dapat dibaca sebagai CSV (tanda kutip tidak "
                                          "ditutup?). Simpan lagi dari Excel atau LibreOffice sebagai CSV."))

    rows = lines()
    if not _take_header(sheet, rows):
        _no_header(sheet)
        return
    for line, row in rows:
        if sheet.letters.get("nip"):
            index = _index(sheet.letters["nip"])
            if index < len(row) and NUMBER_NIP.fullmatch(row[index].strip()):
                sheet.problems.append(Problem(ROUNDED_NIP.format(app="Excel"), **sheet.where(line, "nip")))
                row[index] = ""
        _take_row(sheet, line, row)


def _index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter) - 1


def _take_header(sheet: Sheet, lines) -> bool:
    """Whether a header is among the first lines of `lines` (consumed up to it): its columns kept."""
    for line, texts in lines:
        columns = {}
        for index, text in enumerate(texts):
            name = _field_of(text)
            if name and name not in columns:
                columns[name] = index
        if "username" in columns and len(columns) >= 2:
            sheet.letters = {name: get_column_letter(index + 1) for name, index in columns.items()}
            sheet.headings = {name: one_line(texts[index]) for name, index in columns.items()}
            left = [f"{get_column_letter(index + 1)} “{one_line(text)}”" for index, text in enumerate(texts)
                    if one_line(text) and index not in columns.values() and not NUMBER_HEADING.fullmatch(
                        _heading_key(text))]
            if left:
                sheet.notes.append(f"Kolom {', '.join(left)} tidak dibaca: judulnya bukan kolom templat "
                                   f"({', '.join(LABELS.values())}). Impor tidak memberi hak admin.")
            return True
        if line >= HEADER_SEARCH_ROWS:
            break
    return False


def _no_header(sheet: Sheet) -> None:
    sheet.problems.append(Problem(f"Judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama. Gunakan templat: "
                                  f"kolom “{LABELS['username']}” wajib ada, dengan kolom lain seperti "
                                  f"“{LABELS['nama']}”, “{LABELS['skpd']}” dan “{LABELS['peran']}”."))


def _take_row(sheet: Sheet, line: int, texts) -> None:
    row = {}
    for name, letter in sheet.letters.items():
        index = _index(letter)
        raw = texts[index] if index < len(texts) else ""
        row[name] = _CONTROL.sub("", str(raw or "")) if name == "peran" else one_line(raw)
    if any(value.strip() for value in row.values()):  # a blank row between groups is no row
        sheet.rows.append((line, row))


# Checking the rows against the database.

def _agency_key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace(".", " ").split())


class Agencies:
    """The SKPD list, found by the names people write: the short name, the abbreviation or the
    official name, in any case, with or without "Provinsi Kalimantan Barat". One query."""

    SUFFIX = " provinsi kalimantan barat"

    def __init__(self):
        self.by_key: dict[str, list] = {}
        for skpd in Skpd.objects.all():
            for name in {skpd.nama_pendek, skpd.singkatan, skpd.nama}:
                if name:
                    key = _agency_key(name)
                    for each in {key, key.removesuffix(self.SUFFIX)}:
                        if skpd not in self.by_key.setdefault(each, []):
                            self.by_key[each].append(skpd)

    def find(self, text: str):
        """(the agency, "") or (None, why not)."""
        key = _agency_key(text)
        found = self.by_key.get(key) or self.by_key.get(key.removesuffix(self.SUFFIX), [])
        if len(found) > 1:
            names = " dan ".join(f"“{s.nama_pendek}”" for s in found[:2])
            return None, f"“{text}” dapat berarti {names}: tulis nama pendeknya."
        if not found:
            close = difflib.get_close_matches(key, self.by_key, n=1, cutoff=0.8)
            hint = f" Maksudnya “{self.by_key[close[0]][0].nama_pendek}”?" if close else ""
            return None, (f"SKPD “{text}” tidak ada dalam daftar SKPD.{hint} Impor tidak membuat SKPD baru: tulis "
                          "nama pendek, singkatan atau nama resminya seperti pada lembar Daftar SKPD di templat, atau "
                          "tambahkan SKPD itu dulu di Admin › SKPD, lalu unggah lagi.")
        skpd = found[0]
        if not skpd.aktif:
            return None, (f"SKPD “{skpd.nama_pendek}” nonaktif dan tidak lagi ditawarkan. Hubungkan petugasnya ke SKPD "
                          "penggantinya, atau aktifkan kembali SKPD itu di Admin › SKPD.")
        return skpd, ""


def parse_roles(text: str) -> tuple[list[str], list[str]]:
    """(roles, the words not understood) of a cell such as "Kasubag, Tim" or "Kepala Bagian"."""
    roles, unknown = [], []
    for word in ROLE_SPLIT.split(text.strip()):
        key = " ".join(word.casefold().replace(".", " ").split())
        if not key:
            continue
        role = ROLE_OF.get(key)
        if role is None:
            unknown.append(one_line(word))
        elif role not in roles:
            roles.append(role)
    return roles, unknown


ROLES_ACCEPTED = ", ".join(Role(role).label for role in Role.values)


def plan(sheet: Sheet, user, *, lock: bool = False) -> Plan:
    """What importing `sheet`'s rows as `user` would do, and every row refused with why. `lock`
    (in the confirming transaction) holds the accounts it changes. A few queries, whatever the rows."""
    problems = list(sheet.problems)
    if sheet.problems and not sheet.rows:
        return Plan([], problems, sheet.notes)
    agencies = Agencies()
    # A row refused as the file was read (a NIP a spreadsheet rounded) is not previewed as if fine.
    unread = {problem.row for problem in sheet.problems if problem.row}
    cleaned = [(line, row) for line, row in ((line, _clean_row(sheet, line, row, agencies, problems))
                                             for line, row in sheet.rows if line not in unread) if row is not None]
    names = {row["username"].casefold() for _, row in cleaned if row.get("username")}
    nips = {row["nip"] for _, row in cleaned if row.get("nip")}
    emails = {row["email"].casefold() for _, row in cleaned if row.get("email")}
    accounts = User.objects.annotate(username_key=Lower("username"), email_key=Lower("email")).filter(
        Q(username_key__in=names) | Q(nip__in=nips) | Q(email_key__in=emails)).select_related("skpd")
    if lock:
        accounts = accounts.select_for_update(of=("self",))
    accounts = list(accounts)
    policy.remember_roles(accounts)
    by_name = {a.username.casefold(): a for a in accounts}
    by_nip = {a.nip: a for a in accounts if a.nip}
    by_email = {}
    for account in accounts:
        if account.email:
            by_email.setdefault(account.email.casefold(), account)
    seen: dict[tuple, int] = {}
    rows = []
    for line, row in cleaned:
        account = by_name.get(row["username"].casefold())
        refused = False
        for name, key in (("username", row["username"].casefold()), ("nip", row.get("nip")),
                          ("email", (row.get("email") or "").casefold())):
            if key and (name, key) in seen:
                problems.append(Problem(f"{LABELS[name]} “{row[name]}” sudah ada di baris {seen[name, key]} berkas ini: "
                                        "satu orang satu baris.", **sheet.where(line, name)))
                refused = True
            elif key:
                seen[name, key] = line
        holder = by_nip.get(row.get("nip"))
        if holder is not None and holder != account:
            problems.append(Problem(f"NIP {format_nip(row['nip'])} sudah tercatat untuk pengguna “{holder.username}” "
                                    f"({holder.display_name}). Satu NIP untuk satu akun: bila orangnya sama, tulis nama "
                                    f"pengguna “{holder.username}” pada baris ini.", **sheet.where(line, "nip")))
            refused = True
        holder = by_email.get((row.get("email") or "").casefold())
        if holder is not None and holder != account:
            problems.append(Problem(f"E-mail {row['email']} sudah dipakai pengguna “{holder.username}” "
                                    f"({holder.display_name}): pemberitahuan untuk dua akun akan masuk ke satu kotak. "
                                    "Tulis e-mail orang ini sendiri.", **sheet.where(line, "email")))
            refused = True
        planned = (_new(sheet, line, row, problems) if account is None
                   else _changed(sheet, line, row, account, user, problems))
        if planned is not None and not refused:
            rows.append(planned)
    return Plan(rows, problems, sheet.notes)


def _clean_row(sheet, line, row, agencies, problems) -> dict | None:
    """The row's values checked one by one; None when one is refused (each said in `problems`)."""
    before = len(problems)
    out = {}

    def refuse(name, message):
        problems.append(Problem(message, **sheet.where(line, name)))

    username = unicodedata.normalize("NFKC", row.get("username", ""))
    if not username:
        refuse("username", "Nama pengguna wajib diisi: dipakai untuk masuk, mis. “budi.santoso”.")
    elif len(username) > LIMITS["username"]:
        refuse("username", f"Nama pengguna paling banyak {LIMITS['username']} karakter; terisi {len(username)}.")
    else:
        try:
            _USERNAME(username)
        except ValidationError:
            refuse("username", f"Nama pengguna “{username}” hanya boleh berisi huruf, angka dan tanda . @ + - _ "
                               "(tanpa spasi), mis. “budi.santoso”.")
    out["username"] = username
    for name in ("nama", "jabatan", "pangkat_golongan"):
        value = row.get(name, "")
        if len(value) > LIMITS[name]:
            refuse(name, f"{LABELS[name]} paling banyak {LIMITS[name]} karakter; terisi {len(value)}.")
        out[name] = value
    nip = normalize_nip(row.get("nip", "").lstrip("'"))
    if nip:
        try:
            validate_nip(nip)
        except ValidationError as error:
            refuse("nip", error.messages[0])
    out["nip"] = nip
    email = row.get("email", "").lstrip("'")
    if email:
        email = User.objects.normalize_email(email)
        if len(email) > LIMITS["email"]:
            refuse("email", f"E-mail paling banyak {LIMITS['email']} karakter; terisi {len(email)}.")
        else:
            try:
                validate_email(email)
            except ValidationError:
                refuse("email", f"“{email}” bukan alamat e-mail yang benar, mis. budi@kalbarprov.go.id.")
    out["email"] = email
    out["skpd"] = None
    if row.get("skpd"):
        out["skpd"], why = agencies.find(row["skpd"])
        if why:
            refuse("skpd", why)
    roles, unknown = parse_roles(row.get("peran", ""))
    if unknown:
        refuse("peran", f"Peran {', '.join(f'“{w}”' for w in unknown)} tidak dikenal. Peran yang dapat ditulis: "
                        f"{ROLES_ACCEPTED} (beberapa dipisah koma).")
    out["roles"] = roles
    return out if len(problems) == before else None


def _combination(sheet, line, roles, skpd, account, problems) -> bool:
    """The rules of the user page's roles (workflow.admin.people.RoleFormSet) on the account as the
    row leaves it; False when one refuses it."""
    where = sheet.where(line, "peran")
    if Role.SKPD in roles and skpd is None:
        problems.append(Problem("Peran SKPD wajib dengan kolom SKPD: tulis nama pendek SKPD-nya.", **sheet.where(line, "skpd")))
        return False
    bureau = sorted(Role(role).label for role in set(roles) & INTERNAL_ROLES)
    if Role.SKPD in roles and bureau:
        problems.append(Problem(f"Peran SKPD tidak dapat digabung dengan peran Biro ({', '.join(bureau)}): petugas SKPD "
                                "hanya melihat dosier yang mengundang SKPD-nya.", **where))
        return False
    if skpd is not None and bureau:
        problems.append(Problem(f"Pegawai Biro ({', '.join(bureau)}) tidak dihubungkan ke SKPD: kosongkan kolom SKPD, "
                                "atau tulis peran SKPD untuk petugas SKPD.", **sheet.where(line, "skpd")))
        return False
    if account is not None and (Role.SKPD in roles or skpd is not None) and (account.is_staff or account.is_superuser):
        problems.append(Problem("Petugas SKPD tidak dapat menjadi staf admin, dan akun ini staf admin: daftar di admin "
                                "memuat riwayat dan naskah dosier semua SKPD.", **sheet.where(line, "skpd")))
        return False
    return True


def _new(sheet, line, row, problems) -> Planned | None:
    roles = row["roles"]
    implied = False
    if not roles and row["skpd"] is not None:
        roles, implied = [Role.SKPD], True  # an agency's officer: the one role an agency's row can have
    if not roles:
        problems.append(Problem(f"Peran wajib diisi untuk pengguna baru: {ROLES_ACCEPTED}.", **sheet.where(line, "peran")))
        return None
    if not row["nama"]:
        problems.append(Problem("Nama lengkap wajib diisi untuk pengguna baru: dipakai pada naskah dan riwayat.",
                                **sheet.where(line, "nama")))
        return None
    if not _combination(sheet, line, roles, row["skpd"], None, problems):
        return None
    values = {name: row[name] for name in TEXT_FIELDS}
    notes = ["Peran SKPD karena kolom SKPD diisi."] if implied else []
    if not row["email"]:
        notes.append("Tanpa e-mail: tidak menerima pemberitahuan lewat e-mail.")
    return Planned(line, row["username"], row["nama"], "baru", roles=roles, skpd=row["skpd"], values=values,
                   receives=NEW_RECEIVES_LINK.format(email=row["email"], days=settings.SOP_PASSWORD_LINK_DAYS)
                   if row["email"] else NEW_RECEIVES, notes=notes, skpd_shown=row["skpd"].nama_pendek if row["skpd"] else "Biro",
                   roles_shown=", ".join(Role(r).label for r in roles))


def _changed(sheet, line, row, account, user, problems) -> Planned | None:
    held = set(account.own_roles)
    added = [role for role in row["roles"] if role not in held]
    skpd = row["skpd"] if row["skpd"] is not None else account.skpd
    values, changes = {}, []
    for name in TEXT_FIELDS:
        new, old = row[name], getattr(account, name)
        same = new.casefold() == old.casefold() if name == "email" else new == old
        if new and not same:  # an empty cell leaves the account's value as it is
            values[name] = new
            shown = (format_nip(old) or "-", format_nip(new)) if name == "nip" else (old or "-", new)
            changes.append(f"{LABELS[name]}: {shown[0]} → {shown[1]}")
    if row["skpd"] is not None and row["skpd"].pk != account.skpd_id:
        values["skpd"] = row["skpd"]
        changes.append(f"SKPD: {account.skpd.nama_pendek if account.skpd else '-'} → {row['skpd'].nama_pendek}")
    if added:
        changes.append(f"Peran ditambah: {', '.join(Role(r).label for r in added)}")
    final = skpd.nama_pendek if skpd else "Biro"
    every = ", ".join(Role(r).label for r in Role.values if r in held | set(added))
    if not changes:
        return Planned(line, account.username, account.display_name, "tetap", account=account,
                       receives="Tidak ada yang berubah.", skpd_shown=final, roles_shown=every)
    if not policy.can_change_account(user, account):
        problems.append(Problem(ADMIN_ACCOUNT.format(username=account.username), **sheet.where(line, "username")))
        return None
    if not _combination(sheet, line, sorted(held | set(added)), skpd, account, problems):
        return None
    notes = []
    if kept := held - set(row["roles"]):
        notes.append(f"Peran lain tetap: {', '.join(Role(r).label for r in Role.values if r in kept)}.")
    if not account.is_active:
        notes.append("Akun ini nonaktif dan tetap nonaktif.")
    if "skpd" in values and account.skpd_id:
        notes.append("Pindah SKPD: pemberitahuan dan token API dari SKPD lamanya dihapus.")
    return Planned(line, account.username, row["nama"] or account.display_name, "ubah", changes=changes, roles=added,
                   skpd=values.get("skpd"), values=values, account=account, notes=notes,
                   receives="Tetap masuk dengan kata sandinya sendiri.", skpd_shown=final, roles_shown=every)


# Writing.

def write(the_plan: Plan, user, file_name: str) -> list:
    """Create and change the accounts `the_plan` holds (it is ok, planned under a lock in the
    caller's transaction), and record each in the admin's log as its own pages do. Returns the
    accounts made. A few queries for the new accounts, whatever their number; one save per changed
    account, so that what follows a change (an agency's notices dropped on a move) follows it."""
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    new = [row for row in the_plan.rows if row.action == "baru"]
    made = User.objects.bulk_create([
        User(username=row.username, password=make_password(None), skpd=row.skpd, **row.values) for row in new
    ])
    # Not every database gives the new rows' ids back from one insert: read them.
    ids = dict(User.objects.filter(username__in=[row.username for row in new]).values_list("username", "pk"))
    for account in made:
        account.pk = account.id = ids[account.username]
    roles = [UserRole(user_id=ids[row.username], role=role) for row in new for role in row.roles]
    changed = [row for row in the_plan.rows if row.action == "ubah"]
    for row in changed:
        account = row.account
        for name, value in row.values.items():
            setattr(account, name, value)
        if row.values:
            account.save(update_fields=[name for name in row.values])
        roles += [UserRole(user=account, role=role) for role in row.roles]
    UserRole.objects.bulk_create(roles)
    kind = ContentType.objects.get_for_model(User)
    source = f"lewat impor berkas “{file_name}”"
    LogEntry.objects.bulk_create(
        [LogEntry(user_id=user.pk, content_type=kind, object_id=str(ids[row.username]), object_repr=row.username,
                  action_flag=ADDITION, change_message=f"Ditambahkan {source} (baris {row.line}); peran: {row.roles_label}"
                  + (f"; SKPD: {row.skpd.nama_pendek}" if row.skpd else "") + ".")
         for row in new]
        + [LogEntry(user_id=user.pk, content_type=kind, object_id=str(row.account.pk), object_repr=row.username,
                    action_flag=CHANGE, change_message=f"Diubah {source} (baris {row.line}): {'; '.join(row.changes)}.")
           for row in changed]
    )
    return made


# The template.

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
