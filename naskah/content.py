"""What each document says: the template context, built from the form's values and the dossier.

One builder per kind, each `(dossier, data, nomor, since, user, signing=None) -> dict`; `since` is
when the document was made, so the paraf boxes show only what happened to this copy (see paraf.py).
`signing` is the event whose finishing signs this print (naskah.record.signed_pdf), None for a
draft: a draft's block shows whoever would sign today, a signed print the one who signed, in the
capacity the event records, as the PAdES stamp, the verification page and SRIKANDI name them.
"""

import math

from iku.columns import COLUMNS
from iku.table import numbered, table_rows
from lib.dates import clock_time, long_date, weekday_date
from naskah import paraf
from naskah.models import LegalBasis, OfficeProfile
from naskah.signature import Tandatangan, block, block_for, block_from_event, jabatan_of, official_of
from workflow.roles import Role
from workflow.steps import SOP, IkuStage

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


def _tujuan(dossier) -> dict:
    kop = OfficeProfile.current()
    # The bureau can be invited for its own IKU, but a letter from the bureau is not addressed to it.
    names = [pimpinan(s) for s in dossier.invited.in_order() if not is_the_bureau(s, kop)]
    terlampir = len(names) > MAX_TUJUAN_LANGSUNG
    return {"tujuan": names, "terlampir": terlampir, "lampiran": "1 (satu) lembar" if terlampir else "-"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def _official(line: str) -> str:
    """Who a Tembusan line or an addressee names, to compare the two: "Yth." and a closing
    "(sebagai laporan)" dropped, the province's name too, case and spacing ignored."""
    name = _plain(line).removeprefix("yth.").strip()
    if name.endswith(")") and "(" in name:
        name = name[: name.rindex("(")].strip()
    return name.removesuffix(" provinsi kalimantan barat")


def tembusan(data, tujuan: list[str]) -> list[str]:
    """The Tembusan lines as typed, less any official the letter is addressed to: the Surat's usual
    Tembusan is the Sekda, who heads an agency it may be sent to, and one official receiving the
    letter and its copy is one letter twice."""
    addressed = {_official(name) for name in tujuan}
    return [line for line in _lines(data.get("tembusan", "")) if _official(line) not in addressed]


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


def notulen(dossier, data, nomor, since, user, signing=None) -> dict:
    def heading(label, person):
        made = block("", person)
        return Tandatangan(jabatan=label, nama=made.nama, pangkat=made.pangkat, nip=made.nip)

    return _common(dossier, nomor) | {
        "acara": data["acara"], "hari_tanggal": weekday_date(data["tanggal_rapat"]),
        "waktu": f"{clock_time(data['waktu_mulai'])} s.d. {clock_time(data['waktu_ditutup'])} WIB", "ditutup": clock_time(data["waktu_ditutup"]),
        "tempat": data["tempat"], "pimpinan": data["pimpinan"], "pencatat": data["pencatat"],
        "peserta": _lines(data["peserta"]), "pembukaan": data["pembukaan"],
        "pembahasan": _lines(data["pembahasan"]), "keputusan": _lines(data["keputusan"]),
        "ttd_pencatat": heading("Pencatat", data["pencatat"]),
        # The step's finishing signs as the chair: whoever finished it, even if the form named
        # another (its default is whoever held the Kasubag's role the day it was made, a Plh. too).
        "ttd_pimpinan": heading("Pimpinan Rapat", signing.actor if signing else data["pimpinan"]),
    }


def surat_skpd(dossier, data, nomor, since, user, signing=None) -> dict:
    tujuan = _tujuan(dossier)
    return _common(dossier, nomor) | tujuan | {
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "hal": data["hal"],
        "batas_waktu": long_date(data["batas_waktu"]), "isi_tambahan": data.get("isi_tambahan", ""),
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


def may_break(row) -> bool:
    """Whether the Lampiran lets this row break across pages: only one too tall to keep whole."""
    lines = max(_estimated_lines(getattr(row, name), COLUMN_WIDTHS[name]) for name, _ in COLUMNS)
    return lines * LINE_MM > WHOLE_ROW_SHARE * ROWS_HEIGHT_MM


def lampiran_groups(rows) -> list[dict]:
    """Sent rows (each with its submission and agency) as the Lampiran lists them: agencies in the
    order the Kasubag set for this table, else in the admin's (the SOTK order letters use,
    `Skpd.order`), not by name; each agency's rows in their own order, numbered throughout; each
    row with whether it may break across pages."""
    # table_rows breaks ties in the Kasubag's order by name; the admin's order goes before the name.
    # A stable sort keeps the name, then the rows' own order, for agencies the admin left equal.
    rows = sorted(rows, key=lambda row: (row.submission.urutan, row.submission.skpd.order))
    groups = []
    for number, _, row in numbered(rows):
        if not groups or groups[-1]["skpd"] != row.submission.skpd:
            groups.append({"skpd": row.submission.skpd, "rows": []})
        groups[-1]["rows"].append((number, row, may_break(row)))
    return groups


def iku_groups(dossier) -> dict:
    """The provincial IKU table for the Lampiran (`lampiran_groups`): the Bahan (step 5) if any
    agency sent one, else the Konsep (step 3); rows the bureau left out are not listed."""
    for stage in (IkuStage.BAHAN, IkuStage.KONSEP):
        rows = table_rows(dossier, stage)
        if rows:
            break
    groups = lampiran_groups(rows)
    return {"iku": groups, "iku_tahap": IkuStage(stage).label, "jumlah_iku": len(rows), "jumlah_skpd": len(groups),
            "lebar_kolom": LEBAR_KOLOM}


def _kabiro_signature(done, signing) -> Tandatangan:
    # Signed, the Nota names who signed, as the log has it: the signature being made (its event is
    # not written yet while the final is rendered), else step 8's finishing. Only a draft shows who
    # would sign today: with a Plh. running that is the Plh., even if the Kabiro signs himself.
    event = signing or done.get(paraf.SIGNING_STEP)
    return block_from_event(event) if event else block_for(Role.KABIRO)


def nota_dinas(dossier, data, nomor, since, user, signing=None) -> dict:
    done = paraf.finishing_events(dossier, since)
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "yth": ASISTEN_I, "dari": jabatan_of(Role.KABIRO, official_of(Role.KABIRO)).title(),
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "lampiran": "1 (satu) berkas",
        "hal": data["hal"], "isi_tambahan": data.get("isi_tambahan", ""),
        "ttd": _kabiro_signature(done, signing), "paraf": paraf.boxes(done, (6, 7)),
    }


def draft_kepgub(dossier, data, nomor, since, user, signing=None) -> dict:
    done = paraf.finishing_events(dossier, since)
    kop = OfficeProfile.current()
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "tentang": data["tentang"].upper(), "tentang_judul": data["tentang"],
        # The decree's number and date are the Governor's; known only once recorded at the end.
        "nomor_kepgub": dossier.nomor_kepgub, "tanggal_kepgub": long_date(dossier.tanggal_kepgub) if dossier.tanggal_kepgub else "",
        "mengingat": LegalBasis.printed(), "gubernur": kop.nama_gubernur,
        "kolom": [label for _, label in COLUMNS],
        "paraf": paraf.boxes(done, paraf.PARAF_STEPS),
    }
