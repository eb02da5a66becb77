"""A decree on paper: its diktum one unit wherever the page breaks as the Mengingat grows (no label,
"Menetapkan :", "KEDUA :", at a page's foot with its text on the next), its pages numbered as Tata
Naskah Dinas numbers them."""

from naskah.models import LegalBasis
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow.steps import STEP_BY_NUMBER, DocKind

# Each label and the first words of its text.
LABELS = {"Menetapkan": "KEPUTUSAN GUBERNUR TENTANG", "KESATU": "Menetapkan Indikator Kinerja Utama",
          "KEDUA": "Indikator Kinerja Utama sebagaimana", "KETIGA": "Kepala Perangkat Daerah bertanggung",
          "KEEMPAT": "Keputusan Gubernur ini mulai berlaku"}
RULE = ("Peraturan Menteri Dalam Negeri Nomor {n} Tahun 2020 tentang Contoh Peraturan yang Cukup Panjang untuk "
        "Memindahkan Batas Halaman (Berita Negara Republik Indonesia Tahun 2020 Nomor {n})")


def test_no_diktum_label_is_left_at_a_page_foot_as_the_mengingat_grows(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    last = LegalBasis.objects.order_by("-urutan").values_list("urutan", flat=True).first() or 0
    breaks_seen = set()
    for extra in range(10):
        if extra:
            LegalBasis.objects.create(urutan=last + extra, teks=RULE.format(n=extra), diperiksa=True)
        assert generate(kasubag, dossier, DocKind.DRAFT_KEPGUB).status_code == 302
        decree = pages(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
        for label, begins in LABELS.items():
            [page] = [text for text in decree if f"{label} :" in text]
            assert begins in page.split(f"{label} :", 1)[1], (extra, label, page[-300:])
        breaks_seen.add(next(n for n, text in enumerate(decree) if "KEEMPAT :" in text))
    # The rules added moved the diktum across the first page's foot, or the test tried nothing.
    assert len(breaks_seen) > 1


def test_pages_are_numbered_at_the_top_between_hyphens_from_the_second(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    assert generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB).status_code == 302
    decree = pages(stored_pdf(dossier, DocKind.DRAFT_KEPGUB))
    assert len(decree) > 1 and "- 1 -" not in decree[0]
    for number, text in enumerate(decree[1:], start=2):
        assert f"- {number} -" in text, (number, text[:200])
