"""The demo's agencies' tables, shaped like real published ones (a Sasaran continued over rows,
columns left empty, targets as text), and the corrections of a round: a draft not yet sent, a
Bahan reopened and sent again, a row the Kasubag corrects and one he comments on. Everything goes
through the same paths a user's clicks take."""

from iku.consolidation import COMMENT, EDIT, Change
from iku.table import save_draft, to_rows
from workflow import services
from workflow.actions import Action
from workflow.steps import IkuStage

TABLES = {
    "Dinas Kesehatan": [
        {"sasaran_strategis": "Meningkatnya derajat kesehatan masyarakat", "indikator": "Usia harapan hidup",
         "formula": "Perhitungan BPS", "satuan": "tahun", "target": "71,24 (akhir RPJMD 2023)",
         "sumber_data": "BPS Provinsi Kalimantan Barat", "penanggung_jawab": "Sekretariat"},
        {"indikator": "Angka kematian ibu", "formula": "Jumlah kematian ibu / jumlah kelahiran hidup x 100.000",
         "satuan": "per 100.000 KH", "target": "< 150 per 100.000 kelahiran hidup",
         "sumber_data": "Profil Kesehatan", "penanggung_jawab": "Bidang Kesehatan Masyarakat"},
        {"indikator": "Jumlah kasus kematian bayi", "satuan": "kasus", "target": "419 (tahun 2022)"},
        {"sasaran_strategis": "Meningkatnya mutu layanan kesehatan", "indikator": "Persentase rumah sakit terakreditasi",
         "satuan": "persen", "target": "Paripurna", "sumber_data": "Profil Kesehatan"},
    ],
    "Dinas Sosial": [
        {"sasaran_strategis": "Menurunnya jumlah penyandang masalah kesejahteraan sosial",
         "indikator": "Persentase PMKS yang tertangani", "formula": "PMKS tertangani / jumlah PMKS x 100",
         "satuan": "persen", "target": "65 (2027)", "sumber_data": "Data Terpadu Kesejahteraan Sosial",
         "penanggung_jawab": "Bidang Rehabilitasi Sosial"},
        {"indikator": "Persentase penerima bantuan sosial tepat sasaran", "satuan": "persen", "target": "90"},
        {"sasaran_strategis": "Meningkatnya perlindungan sosial korban bencana",
         "indikator": "Persentase korban bencana yang terlayani", "formula": "Korban terlayani / korban x 100",
         "satuan": "persen", "target": "100 (setiap kejadian)", "sumber_data": "Laporan tanggap darurat",
         "penanggung_jawab": "Bidang Perlindungan dan Jaminan Sosial"},
    ],
}


def send_table(dossier, user, at=None, catatan=""):
    dossier.refresh_from_db()
    return services.perform(
        dossier, user, Action.AJUKAN_IKU, revision=dossier.revision, at=at,
        rows=to_rows(TABLES[user.skpd.nama_pendek]), catatan=catatan,
    )


def leave_a_draft(dossier, user, at):
    """An agency that has typed its table but not sent it: the bureau's matrix shows "Baru draf"."""
    save_draft(dossier, user.skpd, IkuStage(dossier.step.iku_stage), TABLES[user.skpd.nama_pendek][:2], at, by=user)


def correct_after_return(dossier, people, at=None):
    """At step 6 after the Kabag's return: both agencies' Bahan reopened and sent again as full
    tables, a target of Dinas Kesehatan corrected by the Kasubag and another row commented on."""
    kasubag = people["kasubag"]
    for username in ("dinsos", "dinkes"):
        dossier.refresh_from_db()
        services.perform(
            dossier, kasubag, Action.BUKA_KEMBALI_IKU, revision=dossier.revision, at=at, skpd=people[username].skpd,
            catatan="Formula indikator belum terukur; lengkapi formula dan sumber data.",
        )
        send_table(dossier, people[username], at=at, catatan="Perbaikan setelah dikembalikan Kabag")
    rows = list(dossier.submissions.get(skpd=people["dinkes"].skpd, stage=IkuStage.BAHAN).rows.all())
    values = rows[0].as_dict() | {"target": "72 (2027)"}
    for change in (Change(EDIT, rows[0], values), Change(COMMENT, rows[-1], text="Sebutkan tahun dasar target.")):
        dossier.refresh_from_db()
        services.perform(dossier, kasubag, Action.ATUR_TABEL_IKU, revision=dossier.revision, at=at, change=change)
