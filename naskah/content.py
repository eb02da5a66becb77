"""What each document says: the template context, built from the form's values and the dossier.

One builder per kind, each `(dossier, data, nomor, since, user, signing=None) -> dict`; `since` is
when the document was made, so the paraf boxes show only what happened to this copy (see paraf.py).
`signing` is the event whose finishing signs this print (naskah.record.signed_pdf), None for a
draft: a draft's block shows whoever would sign today, a signed print the one who signed, in the
capacity the event records, as the PAdES stamp, the verification page and SRIKANDI name them.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from string import ascii_lowercase, ascii_uppercase

from iku.columns import COLUMNS
from iku.models import IkuRow
from iku.rows import objectives_spanned
from iku.table import decrees_revised, numbered, table_rows
from lib.dates import clock_time, long_date, weekday_date
from lib.terbilang import counted, terbilang
from naskah import paraf
from naskah.models import LegalBasis, OfficeProfile
from naskah.signature import (
    Tandatangan,
    block,
    block_for,
    block_from_event,
    jabatan_as_written,
    jabatan_of,
    official_of,
)
from workflow.actions import Action
from workflow.roles import Role
from workflow.steps import SOP, STEPS, IkuStage

# More invited agencies than this go into a Lampiran ("Yth. Kepala Perangkat Daerah (daftar terlampir)").
MAX_TUJUAN_LANGSUNG = 3
ASISTEN_I = "Asisten Pemerintahan dan Kesejahteraan Rakyat"
def pimpinan(skpd) -> str:
    """The head of an agency as a letter addresses them: as the admin wrote it for the agency, else
    Inspektur, Sekretaris DPRD, Direktur (a hospital), Kepala ..."""
    if skpd.head_title:
        return skpd.head_title
    if skpd.kind == "RSUD" or skpd.nama.startswith("Rumah Sakit"):
        # A regional hospital is led by a Direktur, not a Kepala.
        return f"Direktur {skpd.nama}"
    if skpd.nama.startswith("Inspektorat"):
        return "Inspektur" + skpd.nama.removeprefix("Inspektorat")
    if skpd.nama.startswith("Sekretariat Daerah"):
        return "Sekretaris Daerah" + skpd.nama.removeprefix("Sekretariat Daerah")
    if skpd.nama.startswith("Sekretariat DPRD"):
        return "Sekretaris DPRD" + skpd.nama.removeprefix("Sekretariat DPRD")
    return f"Kepala {skpd.nama}"


def _common(dossier, nomor) -> dict:
    kop = OfficeProfile.current()
    return {"kop": kop, "dossier": dossier, "nomor": nomor, "kota": kop.kota, "SOP": SOP}


def is_the_bureau(skpd, kop) -> bool:
    """Whether `skpd` is the unit whose kop the letters carry (the bureau running the SOP)."""
    unit = _plain(kop.unit)
    return _plain(skpd.nama_pendek) == unit or _plain(skpd.nama).startswith(f"{unit} {_plain(kop.sekretariat)}")


def _tujuan(dossier, *, inactive_too: bool = False) -> dict:
    kop = OfficeProfile.current()
    # A deactivated agency is no longer waited on by the round: a letter drafted since must not ask
    # it for its IKU. A signed letter is its stored PDF and tujuan_final, which this never reaches;
    # `inactive_too` reads one signed before those were kept, when every invited agency was addressed.
    invited = dossier.invited.all() if inactive_too else dossier.invited.active()
    # The bureau can be invited for its own IKU, but a letter from the bureau is not addressed to it.
    names = [pimpinan(s) for s in invited.in_order() if not is_the_bureau(s, kop)]
    terlampir = len(names) > MAX_TUJUAN_LANGSUNG
    return {"tujuan": names, "terlampir": terlampir, "lampiran": "1 (satu) lembar" if terlampir else "-"}


def signed_tujuan(dossier) -> list[str]:
    """Whom a letter signed before its addressees were kept (NaskahRecord.tujuan_final) was
    addressed to: every agency invited, as letters addressed them then, deactivated since or not."""
    return _tujuan(dossier, inactive_too=True)["tujuan"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# A marker the officer typed before an item that the template numbers (or addresses) itself, which
# would print "1. 1. Drs. ..." or "Yth. Yth. ...": a number or a bullet, then a space. A number
# followed by anything else ("2027 target", "1.000 peserta", "3,5 juta") is the item's own text.
_NUMBER = re.compile(r"(?:\d{1,3}[.)]|\(\d{1,3}\))\s+")
# Hyphen, en and em dash, bullet, middle dot, black circle, small square, white bullet, asterisk; and
# Word's second and third level bullets copied as text, a letter o or a section sign and a tab (a word
# never begins "o" and a tab, nor a section sign and a tab).
_BULLET = re.compile(r"[-\u2013\u2014\u2022\u00b7\u25cf\u25aa\u25e6*]\s+|[o\u00a7]\t\s*")
# A letter is a marker only in a run a., b., c.; A., B., C. too, over two lines or more, where no
# line is a name: in a list of people one "A." begins a name ("A. Rahman", "H. Ahmad").
_LETTER = re.compile(r"\(?([A-Za-z])[.)]\s+")
_YTH = re.compile(r"yth(?:\.\s*|\s+)", re.IGNORECASE)


def _lettered(lines: list[str], capitals: bool) -> bool:
    letters = "".join(match.group(1) if (match := _LETTER.match(line)) else " " for line in lines)
    return letters == ascii_lowercase[: len(lines)] or (
        capitals and len(lines) > 1 and letters == ascii_uppercase[: len(lines)])


def _unmarked(line: str, lettered: bool) -> str:
    for marker in (_NUMBER, _BULLET, *((_LETTER,) if lettered else ())):
        if match := marker.match(line):
            return line[match.end():].strip()
    return line


# The row number a table's "No" column adds before a row pasted from Word or a spreadsheet.
_ROW_NUMBER = re.compile(r"\d{1,3}[.)]?")


def _cells(item: str) -> str:
    """A row pasted from a Word table or a spreadsheet ("Name<TAB>Jabatan"), which printed its cells
    run together ("... M.Si. Kepala Biro ..."), as the minutes print a person and their post: cells
    joined by ", " (a note in brackets, "(sebagai laporan)", by a space), empty cells and the row's
    number left out."""
    if "\t" not in item:
        return item
    cells = [cell for cell in (part.strip().rstrip(",").rstrip() for part in item.split("\t")) if cell]
    if len(cells) > 1 and _ROW_NUMBER.fullmatch(cells[0]):
        cells = cells[1:]
    joined = cells[0] if cells else ""
    for cell in cells[1:]:
        joined += (" " if cell.startswith("(") else ", ") + cell
    return joined


def list_items(text: str, *, names: bool = True) -> list[str]:
    """One item a line, for a list the template numbers itself (Peserta, Pembahasan, Keputusan,
    Tembusan): blank lines dropped, and a list marker typed before each item too. `names`: the items
    may begin with a person's name, so capitals are never taken for markers."""
    lines = _lines(text)
    lettered = _lettered(lines, capitals=not names)
    return [item for item in (_cells(_unmarked(line, lettered)) for line in lines) if item]


@dataclass(frozen=True)
class Butir:
    """An item of a numbered list (the minutes' Pembahasan and Keputusan) with the items listed under
    it, each of which may list its own: the template marks each level as Tata Naskah Dinas does
    (1., a., 1), a)), indented into the item above."""

    teks: str
    rincian: tuple["Butir", ...] = ()


# The levels the Notulen print, each indented into the one above; a point typed deeper prints at the
# deepest, after the point it was under, never back at the first.
MAX_DEPTH = 4
# Word's second and third bullet levels copied as text: a letter o, or a section sign (Wingdings'
# square in the code page), then a tab; its third level kept as Wingdings' private code point is read
# as a small square by the form (naskah.forms.IndentedText). Its first level is a bullet or a number.
_WORD_SECOND = re.compile(r"o\t")
_WORD_THIRD = re.compile(r"\u00a7\t|\u25aa\s")
# Word's third numbered level under "1." and "a.": i., ii., iii.
_ROMAN = re.compile(r"\(?(i{1,3}|iv|vi{0,3}|ix|x)[.)]\s+")
ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _marker(line: str) -> str:
    """Which marker the (unindented) `line` begins with: "o" and "square" (Word's second and third
    levels), "number", "bullet", "letter", "roman", or ""."""
    for name, marker in (("o", _WORD_SECOND), ("square", _WORD_THIRD), ("number", _NUMBER), ("bullet", _BULLET),
                         ("letter", _LETTER), ("roman", _ROMAN)):
        if marker.match(line):
            return name
    return ""


@dataclass
class _Point:
    """A line of the list as read: its text, indentation and marker, and the items placed under it."""

    line: str
    indent: int
    kind: str
    parent: "_Point | None" = None
    under: list["_Point"] = field(default_factory=list)


def _next_letter(parent: _Point | None, line: str) -> bool:
    """Whether `line` is the next of a run a., b., c. under `parent`, as Word's numbered list copies
    its second level ("1." then "a.")."""
    if parent is None or len(parent.under) >= len(ascii_lowercase):
        return False
    return (match := _LETTER.match(line)) is not None and match.group(1) == ascii_lowercase[len(parent.under)]


def _next_roman(parent: _Point | None, line: str) -> bool:
    """Whether `line` is the next of a run i., ii., iii. under `parent`, Word's third numbered level."""
    if parent is None or len(parent.under) >= len(ROMANS):
        return False
    return (match := _ROMAN.match(line)) is not None and match.group(1) == ROMANS[len(parent.under)]


def _continues(open_point: _Point, point: _Point) -> bool:
    """Whether `point` is the next item beside `open_point`, in its list."""
    kind = open_point.kind
    if kind in ("o", "square"):
        return point.kind == kind
    if kind == "roman":
        return _next_roman(open_point.parent, point.line)
    if kind == "letter" and open_point.parent is not None:
        return _next_letter(open_point.parent, point.line)
    return point.kind == kind and point.indent == open_point.indent


def _is_under(open_point: _Point, point: _Point) -> bool:
    """Whether `point` is an item under `open_point`: Word's "o" under another marker, and its third
    level under any but its own; any marked line indented deeper ("- ..." under "- ..."); a run a.,
    b. under a number, and a run i., ii. under a letter, as Word's numbered list copies them."""
    if point.kind == "o":
        return open_point.kind not in ("o", "square")
    if point.kind == "square":
        return open_point.kind != "square"
    if point.indent > open_point.indent:
        return True
    if open_point.kind == "number":
        return _next_letter(open_point, point.line)
    if open_point.kind == "letter":
        return _next_roman(open_point, point.line)
    return False


def _place(path: list[_Point], point: _Point) -> int:
    """How deep `point` goes among the items open above it (`path`, from the first level down):
    beside the deepest it continues, or under the deepest it belongs under; 0 for the first level.
    An unmarked line is an item of the first level."""
    if point.kind:
        for depth in range(len(path) - 1, -1, -1):
            if _continues(path[depth], point):
                return depth
            if _is_under(path[depth], point):
                if path[depth].kind == "letter" and _next_roman(path[depth], point.line):
                    point.kind = "roman"  # "i." beside "h." is a letter; under "a.", Word's third level
                return depth + 1
    return 0


def _text(point: _Point, lettered: bool) -> str:
    match = _ROMAN.match(point.line) if point.kind == "roman" else None
    return _cells(point.line[match.end():].strip() if match else _unmarked(point.line, lettered))


def _butir(points: list[_Point], depth: int = 1) -> tuple[Butir, ...]:
    """The items `points` at level `depth`, those under them below; at the deepest level the print
    has, what was typed deeper follows the item it was under, beside it."""
    lettered = _lettered([point.line for point in points], capitals=True)
    texts = [_text(point, lettered) for point in points]
    if depth < MAX_DEPTH:
        return tuple(Butir(text, _butir(point.under, depth + 1)) for point, text in zip(points, texts))
    made = []
    for point, text in zip(points, texts):
        made.append(Butir(text))
        made.extend(_butir(point.under, depth))
    return tuple(made)


def nested_items(text: str) -> list[Butir]:
    """`list_items` of a list of points (not of names) that may have levels under its items: pasted
    from Word ("•" or "1." then a tab; "o", then "§" and a tab under it; or "1.", "a.", "i.") or
    typed with an indented "-" under an item. Each line of a level below is kept under the item above
    it, not numbered as one of the list's own items."""
    top: list[_Point] = []
    path: list[_Point] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        point = _Point(line, _indent(raw), _marker(line))
        depth = _place(path, point)
        del path[depth:]
        if depth:
            point.parent = path[-1]
            point.parent.under.append(point)
        else:
            top.append(point)
        path.append(point)
    return list(_butir(top))


def _as_item(text: str, number: int) -> str:
    """A text the template prints as item `number` of its numbered list, less a bullet or that same
    number typed before it ("4. Lorem" printed "4. 4. Lorem"); another number is the officer's own
    ("1. ... 2. ..." listed inside the item)."""
    text = text.strip()
    if match := _BULLET.match(text):
        return text[match.end():]
    if (match := _NUMBER.match(text)) and int(re.sub(r"\D", "", match.group())) == number:
        return text[match.end():]
    return text


def _without_yth(line: str) -> str:
    match = _YTH.match(line)
    return line[match.end():].strip() if match else line


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _official(line: str) -> str:
    """Who a Tembusan line or an addressee names, to compare the two: "Yth." and a closing
    "(sebagai laporan)" dropped, the province's name too, case and spacing ignored."""
    name = _plain(line).removeprefix("yth.").strip()
    if name.endswith(")") and "(" in name:
        name = name[: name.rindex("(")].strip()
    return name.removesuffix(" provinsi kalimantan barat")


def _tembusan_lines(text: str) -> list[str]:
    # The template writes "Yth." before each line; typed as well, it printed "Yth. Yth. ...".
    return [line for line in (_without_yth(item) for item in list_items(text)) if line]


def tembusan(data, tujuan: list[str]) -> list[str]:
    """The Tembusan lines as typed, less any official the letter is addressed to: the Surat's usual
    Tembusan is the Sekda, who heads an agency it may be sent to, and one official receiving the
    letter and its copy is one letter twice."""
    addressed = {_official(name) for name in tujuan}
    return [line for line in _tembusan_lines(data.get("tembusan", "")) if _official(line) not in addressed]


def tembusan_addressed(dossier, text: str) -> list[str]:
    """The lines of a typed Tembusan that `tembusan` leaves out because the letter is addressed to
    that official already, as the form tells the officer."""
    addressed = {_official(name) for name in _tujuan(dossier)["tujuan"]}
    return [line for line in _tembusan_lines(text) if _official(line) in addressed]


def undangan(dossier, data, nomor, since, user, signing=None) -> dict:
    end = data.get("waktu_selesai")
    kabiro = jabatan_of(Role.KABIRO, official_of(Role.KABIRO))
    tujuan = _tujuan(dossier)
    return _common(dossier, nomor) | tujuan | {
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "hal": data["hal"],
        "hari_tanggal": weekday_date(data["tanggal_acara"]),
        "waktu": f"{clock_time(data['waktu_mulai'])} WIB s.d. {clock_time(end) + ' WIB' if end else 'selesai'}",
        "tempat": data["tempat"], "acara": data["acara"],
        # Step 1: the Kasubag sends it, signed for the Kabiro (docs/domain.md, "The nine steps and who acts").
        "ttd": (block_from_event(signing, atas_nama=kabiro) if signing
                else block_for(Role.KASUBAG, user, atas_nama=kabiro)),
        "tembusan": tembusan(data, tujuan["tujuan"]),
    }


def meeting_times(data) -> dict:
    """The minutes' Waktu row and closing sentence. A meeting closed past midnight names the day it
    closed: "19.00 s.d. 01.30 WIB" under the day it began read as a meeting ending before it began."""
    start, end = clock_time(data["waktu_mulai"]), clock_time(data["waktu_ditutup"])
    if not data.get("selesai_besok"):
        return {"waktu": f"{start} s.d. {end} WIB", "ditutup": f"pukul {end} WIB"}
    next_day = weekday_date(data["tanggal_rapat"] + dt.timedelta(days=1))
    return {"waktu": f"{start} WIB s.d. {end} WIB ({next_day})", "ditutup": f"pada hari {next_day} pukul {end} WIB"}


def notulen(dossier, data, nomor, since, user, signing=None) -> dict:
    def heading(label, person):
        made = block("", person)
        return Tandatangan(jabatan=label, nama=made.nama, pangkat=made.pangkat, nip=made.nip)

    return _common(dossier, nomor) | {
        "acara": data["acara"], "hari_tanggal": weekday_date(data["tanggal_rapat"]),
        **meeting_times(data),
        "tempat": data["tempat"], "pimpinan": data["pimpinan"], "pencatat": data["pencatat"],
        "peserta": list_items(data["peserta"]), "pembukaan": data["pembukaan"],
        "pembahasan": nested_items(data["pembahasan"]), "keputusan": nested_items(data["keputusan"]),
        "ttd_pencatat": heading("Pencatat", data["pencatat"]),
        # The step's finishing signs as the chair: whoever finished it, even if the form named
        # another (its default is whoever held the Kasubag's role the day it was made, a Plh. too).
        "ttd_pimpinan": heading("Pimpinan Rapat", signing.actor if signing else data["pimpinan"]),
    }


def surat_skpd(dossier, data, nomor, since, user, signing=None) -> dict:
    tujuan = _tujuan(dossier)
    return _common(dossier, nomor) | tujuan | {
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "hal": data["hal"],
        "batas_waktu": long_date(data["batas_waktu"]), "isi_tambahan": _lines(data.get("isi_tambahan", "")),
        "kolom": [label for _, label in COLUMNS],
        # Step 4: prepared by the Kasubag, signed by the Kabiro himself.
        "ttd": block_from_event(signing) if signing else block_for(Role.KABIRO, user),
        "tembusan": tembusan(data, tujuan["tujuan"]),
    }


# The Lampiran's columns in percent of the table's width, set for what the columns really hold:
# the Penjelasan runs to a few sentences, the Formula to one, the Satuan to a word. The template
# sets them (table-layout: fixed) and the row height estimate below reads them.
COLUMN_WIDTHS = {"no": 3, "sasaran_strategis": 12, "indikator": 14, "penjelasan": 23, "formula": 16,
                 "satuan": 6, "target": 8, "sumber_data": 10, "penanggung_jawab": 8}
# The template's <col> widths, in the table's order: No, then the columns.
LEBAR_KOLOM = [COLUMN_WIDTHS["no"], *(COLUMN_WIDTHS[name] for name, _ in COLUMNS)]
# The narrowest Lampiran (A4 landscape) in mm: its table's width and the height rows have on a page
# under the running reference, the repeated header row and an agency's name.
TABLE_WIDTH_MM, ROWS_HEIGHT_MM = 262, 150
# 8 pt text at line-height 1.15; a character counted wider than the font's average (about 1.4 mm),
# and a cell's padding, so that an estimate errs on the tall side.
LINE_MM, CHAR_MM, CELL_PADDING_MM = 3.25, 1.6, 1.8
# A row estimated taller than this share of a page may break across pages (with the header row
# repeated); a shorter one is kept whole. Estimated on the tall side, a row kept whole always fits
# on one page: one kept whole but taller than a page is what left blank pages.
WHOLE_ROW_SHARE = 0.6


def _estimated_lines(text: str, width_percent: float) -> int:
    per_line = max(1, int((TABLE_WIDTH_MM * width_percent / 100 - CELL_PADDING_MM) / CHAR_MM))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def may_break(row, sasaran: str | None = None) -> bool:
    """Whether the Lampiran lets this row break across pages: only one too tall to keep whole.
    `sasaran`: the Sasaran its cell holds, if not its own (one it continues, printed or kept room for)."""
    texts = {name: getattr(row, name) for name, _ in COLUMNS}
    if sasaran is not None:
        texts["sasaran_strategis"] = sasaran
    lines = max(_estimated_lines(texts[name], COLUMN_WIDTHS[name]) for name, _ in COLUMNS)
    return lines * LINE_MM > WHOLE_ROW_SHARE * ROWS_HEIGHT_MM


@dataclass(frozen=True)
class LampiranRow:
    """One row of the Lampiran: its number, the IKU row, whether it may break across pages, the
    Sasaran its cell prints, and whether the cell keeps room for its group's Sasaran (hidden) instead."""

    number: int | None
    row: IkuRow
    panjang: bool
    sasaran: str = ""
    room_only: bool = False


@dataclass(frozen=True)
class SasaranGroup:
    """Consecutive rows of one agency under one Sasaran (a blank Sasaran continues the one above,
    iku.rows.objectives_spanned). `repeated`: its rows are a table of their own whose header, of no
    height, prints the Sasaran atop them on every page they reach, as a merged cell continued (a
    page that begins inside the group names its Sasaran too). Their first and last row keep room
    for it, so that however the rows fall on pages it ends beside them: on the group's first page it
    stands where the first row's Sasaran would, and a later page holds either the rest of the group
    (its last row among it) or a full page of it. A row too tall to keep whole promises neither, so
    a group with one prints its Sasaran in every row instead, as does a lone row its own."""

    sasaran: str
    repeated: bool
    rows: list


def _sasaran_groups(numbered_rows) -> list[SasaranGroup]:
    spans = []
    for (number, row), (sasaran, _) in zip(numbered_rows, objectives_spanned([row for _, row in numbered_rows])):
        if not spans or row.sasaran_strategis:
            spans.append((sasaran, []))
        spans[-1][1].append((number, row))
    groups = []
    for sasaran, rows in spans:
        panjang = [may_break(row, sasaran) for _, row in rows]
        repeated = bool(sasaran) and len(rows) > 1 and not any(panjang)
        last = len(rows) - 1
        groups.append(SasaranGroup(sasaran, repeated, [
            LampiranRow(number, row, long, room_only=repeated and place in (0, last),
                        sasaran="" if repeated else sasaran)
            for place, ((number, row), long) in enumerate(zip(rows, panjang))]))
    return groups


def lampiran_groups(rows) -> list[dict]:
    """Sent rows (each with its submission and agency) as the Lampiran lists them: agencies in the
    order the Kasubag set for this table, else in the admin's (the SOTK order letters use,
    `Skpd.order`), not by name; each agency's rows in their own order, numbered throughout, in
    groups under their Sasaran (`SasaranGroup`); each row with whether it may break across pages."""
    # table_rows breaks ties in the Kasubag's order by name; the admin's order goes before the name.
    # A stable sort keeps the name, then the rows' own order, for agencies the admin left equal.
    rows = sorted(rows, key=lambda row: (row.submission.urutan, row.submission.skpd.order))
    agencies = []
    for number, _, row in numbered(rows):
        if not agencies or agencies[-1][0] != row.submission.skpd:
            agencies.append((row.submission.skpd, []))
        agencies[-1][1].append((number, row))
    return [{"skpd": skpd, "sasaran": _sasaran_groups(agency_rows)} for skpd, agency_rows in agencies]


def iku_groups(dossier) -> dict:
    """The provincial IKU table for the Lampiran (`lampiran_groups`): the Bahan (step 5) if any
    agency sent one, else the Konsep (step 3); rows the bureau left out are not listed."""
    for stage in (IkuStage.BAHAN, IkuStage.KONSEP):
        rows = table_rows(dossier, stage)
        if rows:
            break
    groups = lampiran_groups(rows)
    return {"iku": groups, "iku_tahap": IkuStage(stage).label, "jumlah_iku": len(rows), "jumlah_skpd": len(groups),
            # As an official letter writes a count: "12 (dua belas)".
            "jumlah_iku_teks": counted(len(rows)), "jumlah_skpd_teks": counted(len(groups)),
            "lebar_kolom": LEBAR_KOLOM}


def _decree_cited(dossier) -> str:
    return f"Keputusan Gubernur Kalimantan Barat Nomor {dossier.nomor_kepgub}" + (
        f" tanggal {long_date(dossier.tanggal_kepgub)}" if dossier.tanggal_kepgub else "")


def revised_decree(dossier) -> str:
    """The decree in force that a second round of the year amends, as its draft and Nota cite it
    ("Keputusan Gubernur Kalimantan Barat Nomor … tanggal …, sebagaimana telah diubah dengan …"), or
    "" for a year's first round. A revision printed as a first decree set the year's IKU twice,
    and for the agencies it lists alone."""
    revised = decrees_revised(dossier)
    if not revised:
        return ""
    first, *amendments = revised
    if not amendments:
        return _decree_cited(first)
    said = "sebagaimana telah diubah dengan" if len(amendments) == 1 else "sebagaimana telah beberapa kali diubah, terakhir dengan"
    return f"{_decree_cited(first)} {said} {_decree_cited(amendments[-1])}"


def decree_subject(dossier) -> str:
    """What the round's decree is about (the draft's Tentang as the form offers it): the year's IKU
    set, or, for a second round of the year, the amendment of the year's first decree, numbered
    as amendments are ("Perubahan Kedua atas …")."""
    subject = f"Penetapan Indikator Kinerja Utama Perangkat Daerah Provinsi Kalimantan Barat Tahun {dossier.tahun}"
    revised = decrees_revised(dossier)
    if not revised:
        return subject
    nth = "" if len(revised) == 1 else f" {('ke' + terbilang(len(revised))).title()}"
    return f"Perubahan{nth} atas Keputusan Gubernur Kalimantan Barat Nomor {revised[0].nomor_kepgub} tentang {subject}"


def _kabiro_signature(done, signing) -> Tandatangan:
    # Signed, the Nota names who signed, as the log has it: the signature being made (its event is
    # not written yet while the final is rendered), else step 8's finishing. Only a draft shows who
    # would sign today: with a Plh. running that is the Plh., even if the Kabiro signs himself.
    event = signing or done.get(paraf.SIGNING_STEP)
    return block_from_event(event) if event else block_for(Role.KABIRO)


def nota_dinas(dossier, data, nomor, since, user, signing=None) -> dict:
    done = paraf.finishing_events(dossier, since)
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "yth": ASISTEN_I, "dari": jabatan_as_written(Role.KABIRO, official_of(Role.KABIRO)),
        "diubah": revised_decree(dossier), "tentang_keputusan": decree_subject(dossier),
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "lampiran": "1 (satu) berkas",
        # The Nota's own three points come first (nota_dinas.html): an added one is the fourth.
        "hal": data["hal"], "isi_tambahan": _as_item(data.get("isi_tambahan", ""), 4),
        "ttd": _kabiro_signature(done, signing), "paraf": paraf.boxes(done, (6, 7)),
    }


# What the draft decree printed from admin data when it was forwarded to Asisten I, kept in the
# forwarding's audit event (keep_as_forwarded).
AS_FORWARDED = "keputusan_diteruskan"


def keep_as_forwarded(sender, dossier, event, **kwargs):
    """Finishing step 9 sends the draft decree to Asisten I: its event keeps the Mengingat and the
    Governor's name the draft then printed, so a print years later (a rule repealed and made
    inactive, a new Governor on the letterhead profile) reads as it left the bureau, as the
    agencies' names do (Invitation.keep_names)."""
    if event.action == Action.SELESAIKAN and event.from_state == STEPS[-1].state:
        event.data[AS_FORWARDED] = {"mengingat": LegalBasis.printed(),
                                    "gubernur": OfficeProfile.current().nama_gubernur}


def _as_forwarded(dossier) -> dict:
    """{mengingat, gubernur} as the forwarded draft printed them; {} while it has not left the
    bureau, or forwarded before the event kept them (then what holds now is printed)."""
    if dossier.forwarded_at is None:
        return {}  # not forwarded: no event to read (every print of a running round would ask)
    forwarding = dossier.events.filter(action=Action.SELESAIKAN, from_state=STEPS[-1].state).order_by("-at", "-pk")
    event = forwarding.only("data").first()
    return (event.data or {}).get(AS_FORWARDED, {}) if event is not None else {}


def draft_kepgub(dossier, data, nomor, since, user, signing=None) -> dict:
    done = paraf.finishing_events(dossier, since)
    kop = OfficeProfile.current()
    kept = _as_forwarded(dossier)
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "tentang": data["tentang"].upper(), "tentang_judul": data["tentang"], "diubah": revised_decree(dossier),
        # The decree's number and date are the Governor's; known only once recorded at the end.
        "nomor_kepgub": dossier.nomor_kepgub, "tanggal_kepgub": long_date(dossier.tanggal_kepgub) if dossier.tanggal_kepgub else "",
        "mengingat": kept["mengingat"] if "mengingat" in kept else LegalBasis.printed(),
        "gubernur": kept["gubernur"] if "gubernur" in kept else kop.nama_gubernur,
        "kolom": [label for _, label in COLUMNS],
        "paraf": paraf.boxes(done, paraf.PARAF_STEPS),
    }
