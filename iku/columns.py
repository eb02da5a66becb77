"""The columns of an IKU table, in the order of the decree's Lampiran (docs/domain.md, "An IKU row")."""

COLUMNS = [
    ("sasaran_strategis", "Sasaran Strategis"), ("indikator", "Indikator Kinerja Utama"),
    ("penjelasan", "Penjelasan/Alasan"), ("formula", "Formula/Cara Pengukuran"), ("satuan", "Satuan"),
    ("target", "Target"), ("sumber_data", "Sumber Data"), ("penanggung_jawab", "Penanggung Jawab"),
]
