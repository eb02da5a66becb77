"""What each document says: the template context, built from the form's values and the dossier.

One builder per kind, each `(dossier, data, nomor, since, user) -> dict`; `since` is when the
document was made, so the paraf boxes show only what happened to this copy (see paraf.py).
"""

from iku.columns import COLUMNS
from iku.table import numbered, table_rows
from lib.dates import clock_time, long_date, weekday_date
from naskah import paraf
from naskah.models import OfficeProfile
from naskah.signature import Tandatangan, block, block_for, block_from_event, jabatan_of, official_of
from workflow.roles import Role
from workflow.steps import SOP, IkuStage

# More invited agencies than this go into a Lampiran ("Yth. Kepala Perangkat Daerah (daftar terlampir)").
MAX_TUJUAN_LANGSUNG = 3
ASISTEN_I = "Asisten Pemerintahan dan Kesejahteraan Rakyat"
# Mengingat: the SOP's legal basis, with the national rules on performance indicators placed by rank.
MENGINGAT = (
    SOP["dasar_hukum"][0],
    "Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi Pemerintah",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 53 Tahun 2014 tentang "
    "Petunjuk Teknis Perjanjian Kinerja, Pelaporan Kinerja dan Tata Cara Reviu atas Laporan Kinerja Instansi "
    "Pemerintah",
    *SOP["dasar_hukum"][1:],
)


def pimpinan(skpd) -> str:
    """The head of an agency as a letter addresses them: Inspektur, Sekretaris DPRD, Kepala ..."""
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


def _tujuan(dossier) -> dict:
    names = [pimpinan(s) for s in dossier.invited.order_by("pk")]
    terlampir = len(names) > MAX_TUJUAN_LANGSUNG
    return {"tujuan": names, "terlampir": terlampir, "lampiran": "1 (satu) lembar" if terlampir else "-"}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def undangan(dossier, data, nomor, since, user) -> dict:
    end = data.get("waktu_selesai")
    kabiro = jabatan_of(Role.KABIRO, official_of(Role.KABIRO))
    return _common(dossier, nomor) | _tujuan(dossier) | {
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "hal": data["hal"],
        "hari_tanggal": weekday_date(data["tanggal_acara"]),
        "waktu": f"{clock_time(data['waktu_mulai'])} WIB s.d. {clock_time(end) + ' WIB' if end else 'selesai'}",
        "tempat": data["tempat"], "acara": data["acara"],
        # Step 1: the Kasubag sends it, signed for the Kabiro (docs/domain.md, "The nine steps and who acts").
        "ttd": block_for(Role.KASUBAG, user, atas_nama=kabiro),
        "tembusan": _lines(data.get("tembusan", "")),
    }


def notulen(dossier, data, nomor, since, user) -> dict:
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
        "ttd_pimpinan": heading("Pimpinan Rapat", data["pimpinan"]),
    }


def surat_skpd(dossier, data, nomor, since, user) -> dict:
    return _common(dossier, nomor) | _tujuan(dossier) | {
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "hal": data["hal"],
        "batas_waktu": long_date(data["batas_waktu"]), "isi_tambahan": data.get("isi_tambahan", ""),
        "kolom": [label for _, label in COLUMNS],
        # Step 4: prepared by the Kasubag, signed by the Kabiro himself.
        "ttd": block_for(Role.KABIRO, user),
        "tembusan": _lines(data.get("tembusan", "")),
    }


def iku_groups(dossier) -> dict:
    """The provincial IKU table for the Lampiran, grouped by agency and numbered as the page, the
    CSV and the XLSX number it (`iku.table`): the Bahan (step 5) if any agency sent one, else the
    Konsep (step 3); rows the bureau left out are not listed."""
    for stage in (IkuStage.BAHAN, IkuStage.KONSEP):
        rows = numbered(table_rows(dossier, stage))
        if rows:
            break
    groups, number = [], 0
    for number, _, row in rows:
        if not groups or groups[-1]["skpd"] != row.submission.skpd:
            groups.append({"skpd": row.submission.skpd, "rows": []})
        groups[-1]["rows"].append((number, row))
    return {"iku": groups, "iku_tahap": IkuStage(stage).label, "jumlah_iku": number, "jumlah_skpd": len(groups)}


def _kabiro_signature(done) -> Tandatangan:
    # Once step 8 is finished the Nota is signed: print who signed and when, as the log has it.
    event = done.get(paraf.SIGNING_STEP)
    return block_from_event(event) if event else block_for(Role.KABIRO)


def nota_dinas(dossier, data, nomor, since, user) -> dict:
    done = paraf.finishing_events(dossier, since)
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "yth": ASISTEN_I, "dari": jabatan_of(Role.KABIRO, official_of(Role.KABIRO)).title(),
        "tanggal": long_date(data["tanggal_surat"]), "sifat": data["sifat"], "lampiran": "1 (satu) berkas",
        "hal": data["hal"], "isi_tambahan": data.get("isi_tambahan", ""),
        "ttd": _kabiro_signature(done), "paraf": paraf.boxes(done, (6, 7)),
    }


def draft_kepgub(dossier, data, nomor, since, user) -> dict:
    done = paraf.finishing_events(dossier, since)
    kop = OfficeProfile.current()
    return _common(dossier, nomor) | iku_groups(dossier) | {
        "tentang": data["tentang"].upper(), "tentang_judul": data["tentang"],
        # The decree's number and date are the Governor's; known only once recorded at the end.
        "nomor_kepgub": dossier.nomor_kepgub, "tanggal_kepgub": long_date(dossier.tanggal_kepgub) if dossier.tanggal_kepgub else "",
        "mengingat": MENGINGAT, "gubernur": kop.nama_gubernur,
        "kolom": [label for _, label in COLUMNS],
        "paraf": paraf.boxes(done, paraf.PARAF_STEPS),
    }
