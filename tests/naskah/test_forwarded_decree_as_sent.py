"""The draft decree of a round forwarded to Asisten I, printed years later by an archivist or an
auditor: it reads as it left the bureau. The Mengingat the admin edits afterwards (a rule repealed
and made inactive, a new Perda added) and the Governor's name on the letterhead profile (a new
Governor) are for the rounds to come; a running round takes them."""

from naskah.models import LegalBasis, OfficeProfile
from tests.naskah.helpers import cetak_pdf, pages
from workflow.steps import SELESAI, STEP_BY_NUMBER, DocKind

NEW_RULE = "Peraturan Daerah Provinsi Kalimantan Barat Nomor 9 Tahun 2029 tentang Perangkat Daerah Baru"


def _printed(people, dossier) -> str:
    return " ".join(pages(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB, username="kasubag")))


def test_the_forwarded_decree_keeps_the_mengingat_and_governor_it_was_sent_with(people, walk):
    kop = OfficeProfile.current()
    kop.nama_gubernur = "Drs. Gubernur Lama"
    kop.save()
    repealed = LegalBasis.objects.filter(aktif=True).order_by("urutan", "pk").first()
    # The rule's opening words, as they print on one line of the Mengingat.
    repealed_words = " ".join(repealed.teks.split()[:4])
    closed = walk(SELESAI, judul="Penetapan IKU 2026")
    assert repealed_words in _printed(people, closed)

    # Years later: a new Governor, the first rule repealed, a new Perda.
    kop.nama_gubernur = "Ir. Gubernur Baru"
    kop.save()
    repealed.aktif = False
    repealed.save()
    LegalBasis.objects.create(urutan=999, teks=NEW_RULE, aktif=True, diperiksa=True)

    text = _printed(people, closed)
    assert "DRS. GUBERNUR LAMA" in text
    assert "GUBERNUR BARU" not in text
    assert repealed_words in text
    assert "Nomor 9 Tahun 2029" not in text

    # A round still running is printed with what holds now.
    running = walk(STEP_BY_NUMBER[6].state, judul="Penetapan IKU 2030")
    text = _printed(people, running)
    assert "IR. GUBERNUR BARU" in text
    assert "Nomor 9 Tahun 2029" in text
    assert repealed_words not in text
