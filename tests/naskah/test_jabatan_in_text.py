"""A position in running text (the Nota's Dari line, the Undangan's suggested Tembusan) reads as the
admin wrote it: title-casing the signature block's capitals printed "Pemerintahan Dan Kesejahteraan"
and "Iku" in a letter of record."""

from naskah.content import nota_dinas
from naskah.forms import UndanganForm
from workflow.steps import STEP_BY_NUMBER

JABATAN = "Kepala Biro Pemerintahan dan Kesejahteraan Rakyat (Pembina IKU)"


def test_the_kabiros_position_reads_as_written_in_the_nota_and_the_undangans_tembusan(people, walk):
    kabiro = people["kabiro"]
    kabiro.jabatan = JABATAN
    kabiro.save(update_fields=["jabatan"])
    dossier = walk(STEP_BY_NUMBER[6].state)
    data = {"tanggal_surat": dossier.created_at.date(), "sifat": "Biasa", "hal": "Penetapan IKU"}
    assert nota_dinas(dossier, data, "", dossier.created_at, people["kasubag"])["dari"] == JABATAN
    assert UndanganForm.defaults(dossier)["tembusan"] == f"{JABATAN} (sebagai laporan)"
