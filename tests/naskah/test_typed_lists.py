"""Lists the templates number (or address) themselves print the officer's items once: a Peserta line
typed "1. Drs. ..." is "1. Drs. ...", not "1. 1. Drs. ...", a Tembusan typed "Yth. ..." is "Yth. ...",
not "Yth. Yth. ...", in the Notulen, the letters and the Nota; text that merely begins with a number
or an initial ("2027 target", "A. Rahman") is printed as typed."""

import pytest

from naskah.content import list_items
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow.steps import STEP_BY_NUMBER, DocKind


def test_the_minutes_number_peserta_pembahasan_and_keputusan_once(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
             peserta="1. Drs. Ahmad Yani, M.Si.\n2) Siti Aminah, S.E.\n\n- Tim Penyelenggara Workshop\nA. Rahman",
             pembahasan="a. Persiapan tempat workshop.\nb. 2027 target penyelesaian Konsep IKU.\nc) Narasumber.",
             keputusan="1. Workshop dilaksanakan sesuai undangan.\n• Tim menyiapkan format Konsep IKU.")
    text = " ".join(pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN)))
    # The Peserta are numbered in the text; Pembahasan and Keputusan are lists whose numbers are drawn
    # apart from their items' text: each item reads as typed less its marker.
    for printed in ("Peserta : 1. Drs. Ahmad Yani, M.Si. 2. Siti Aminah, S.E. 3. Tim Penyelenggara Workshop "
                    "4. A. Rahman", "II. Pembahasan Persiapan tempat workshop. 2027 target penyelesaian Konsep IKU. "
                    "Narasumber. III. Keputusan Workshop dilaksanakan sesuai undangan. Tim menyiapkan format "
                    "Konsep IKU."):
        assert printed in text, printed
    for marker in ("1. 1.", "2) Siti", "- Tim", "a. Persiapan", "b. 2027", "c) Narasumber", "1. Workshop", "• Tim"):
        assert marker not in text, marker


def test_a_tembusan_typed_with_yth_and_numbers_prints_them_once(people, dossier):
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN,
             tembusan="1. Yth. Kepala Biro Kesejahteraan Rakyat (sebagai laporan)\n2. yth Inspektur Provinsi "
                      "Kalimantan Barat")
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))[0]
    # Two lines are a list, whose numbers are drawn apart from the lines' text.
    assert ("Tembusan: Yth. Kepala Biro Kesejahteraan Rakyat (sebagai laporan) "
            "Yth. Inspektur Provinsi Kalimantan Barat") in text
    assert "Yth. Yth." not in text and "Yth. yth" not in text and "Yth. 1." not in text and "Yth. 2." not in text


def test_the_notas_added_point_keeps_its_own_number_once(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS,
             isi_tambahan="4. Mohon arahan lebih lanjut atas draft dimaksud.")
    text = pages(stored_pdf(dossier, DocKind.NOTA_DINAS))[0]
    # The list's numbers are drawn apart from its items' text: the item reads as typed less its number.
    assert "guna mendapatkan penetapan. Mohon arahan lebih lanjut atas draft dimaksud." in text
    assert "4. Mohon" not in text


@pytest.mark.parametrize("typed, items", [
    ("2027 target\n1.000 peserta\n3,5 juta rupiah", ["2027 target", "1.000 peserta", "3,5 juta rupiah"]),
    ("10. Sepuluh\n(11) Sebelas\n12) Dua belas", ["Sepuluh", "Sebelas", "Dua belas"]),
    # An initial is a name's, not a list's: one "H." alone, or capitals out of a, b, c order.
    ("H. Ahmad\nM. Yusuf", ["H. Ahmad", "M. Yusuf"]),
    ("A. Rahman\nB. Santoso", ["A. Rahman", "B. Santoso"]),
    ("a. satu\nc. tiga", ["a. satu", "c. tiga"]),
    ("1.Tanpa spasi\n-5 derajat", ["1.Tanpa spasi", "-5 derajat"]),
])
def test_only_a_list_marker_and_its_space_are_taken_off(typed, items):
    assert list_items(typed) == items


def test_minutes_pasted_from_word_as_a_browser_sends_them_are_made(people, walk):
    # A browser sends a textarea's line breaks as "\r\n"; text with a curly quote (Word's) was
    # refused: "Karakter “\r” (U+000D) tidak ada pada huruf cetak naskah".
    dossier = walk(STEP_BY_NUMBER[2].state)
    response = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
                        peserta="1.\tDr. H. Muhammad Rizal, S.K.M., M.Kes.\r\n2.\tHj. Siti Nur’aini, S.E.\r\n",
                        pembukaan="Pimpinan menyampaikan “maksud” rapat.\r\n\r\n\tLalu ‘tujuan’-nya…",
                        pembahasan="•\tPersiapan tempat – Aula.\r\n\r\n•\tBahan: DPA SKPD.",
                        keputusan="1)\tWorkshop 12–13 Januari 2027.\r\n2)\tTim menyiapkan “Konsep IKU”.")
    assert response.status_code == 302, response.content.decode()
    text = " ".join(pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN)))
    assert "\r" not in text
    for printed in ("1. Dr. H. Muhammad Rizal, S.K.M., M.Kes. 2. Hj. Siti Nur’aini, S.E.",
                    "Pimpinan menyampaikan “maksud” rapat.", "Lalu ‘tujuan’-nya…", "Persiapan tempat – Aula.",
                    "Bahan: DPA SKPD.", "Workshop 12–13 Januari 2027.", "Tim menyiapkan “Konsep IKU”."):
        assert printed in text, printed


def test_minutes_listed_with_words_symbol_font_bullets_print_their_items_once(people, walk):
    # Word's bullets copied as its Symbol and Wingdings fonts' private code points (U+F0B7, U+F0A7)
    # were refused: "Karakter “\uf0b7” (U+F0B7) tidak ada pada huruf cetak naskah".
    dossier = walk(STEP_BY_NUMBER[2].state)
    response = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
                        pembahasan="\uf0b7\tPersiapan tempat.\r\no\tBahan: DPA SKPD.\r\n\uf0a7\tNarasumber.",
                        pembukaan="Agenda:\r\n\uf0b7 pembukaan")
    assert response.status_code == 302, response.content.decode()
    text = " ".join(pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN)))
    # Word's second level ("o" and a tab) is a marker too.
    assert "II. Pembahasan Persiapan tempat. Bahan: DPA SKPD. Narasumber." in text
    assert "Agenda: • pembukaan" in text
