"""The people list's columns, the words it is read by, and a read file's rows (`Sheet`) with what
was refused in it (`Problem`)."""

import re
from dataclasses import dataclass, field

from workflow.models import User

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
# A NIP a spreadsheet took as a number: written in its scientific notation by a CSV ("1,96608E+17").
NUMBER_NIP = re.compile(r"\d+(?:[.,]\d+)?e\+?\d+", re.IGNORECASE)
ROUNDED_NIP = ("NIP ini tersimpan sebagai angka, sehingga {app} hanya menyimpan 15 angka pertamanya dan angka "
               "terakhirnya berubah. Format kolom NIP sebagai Teks, ketik ulang NIP-nya, lalu unggah lagi.")
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

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


def grouped(problems: list) -> list[str]:
    """The refusals as the preview lists them: one refusal met in the same column of many rows (a
    NIP column typed as numbers) is one line naming its rows, runs of rows as ranges ("Baris 2–11,
    13–18, kolom C (NIP): …"), where the admin read the same line once a row. In the order first met."""
    rows: dict[tuple, list] = {}
    for problem in problems:
        rows.setdefault((problem.message, problem.column, problem.heading), []).append(problem.row)
    said = []
    for (message, column, heading), lines in rows.items():
        numbered = sorted({line for line in lines if line})
        if len(numbered) < 2:
            said += [str(Problem(message, line, column, heading)) for line in dict.fromkeys(lines)]
            continue
        runs = []
        for line in numbered:
            if runs and line == runs[-1][1] + 1:
                runs[-1][1] = line
            else:
                runs.append([line, line])
        place = ", ".join(f"{first}–{last}" if last > first else str(first) for first, last in runs)
        if column:
            place += f", kolom {column}" + (f" ({heading})" if heading else "")
        said.append(f"Baris {place}: {message}")
    return said


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




def one_line(value) -> str:
    """A cell as one line of text: control characters dropped, every run of spaces (a line break
    typed with Alt+Enter, a non-breaking space pasted from a web page) made one, none at the ends."""
    return " ".join(CONTROL_CHARACTERS.sub("", str(value or "")).split())
