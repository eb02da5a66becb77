"""Lists the templates number (or address) themselves print the officer's items once: a Peserta line
typed "1. Drs. ..." is "1. Drs. ...", not "1. 1. Drs. ...", a Tembusan typed "Yth. ..." is "Yth. ...",
not "Yth. Yth. ...", in the Notulen, the letters and the Nota; text that merely begins with a number
or an initial ("2027 target", "A. Rahman") is printed as typed."""

import io

import pytest
from pypdf import PdfReader

from naskah.content import list_items, nested_items
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


def left_edges(pdf: bytes) -> dict[str, float]:
    """{text run: how far from the left edge it starts} on the first page."""
    found = {}
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, font, size: found.setdefault(text.strip(), tm[4]))
    return found


def test_minutes_pasted_with_a_second_level_keep_it_under_its_item(people, walk):
    """Word's second level ("o" and a tab under "1." or "•"), an indented "-", and "a." under "1."
    each printed as an item of the first level, numbered on: "Aula lantai 2" became point 2 of the
    Pembahasan. They are lettered under their item, indented into it."""
    dossier = walk(STEP_BY_NUMBER[2].state)
    response = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
                        pembahasan="1.\tPersiapan tempat workshop.\r\no\tAula lantai 2 kantor gubernur.\r\n"
                                   "o\tKursi seratus buah.\r\n2.\tJadwal narasumber.\r\na.\tNarasumber Bappeda.",
                        keputusan="  - Workshop dilaksanakan.\r\n    - Hari Senin pukul 08.00.\r\n  - Tim menyiapkan format.")
    assert response.status_code == 302, response.content.decode()
    pdf = stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN)
    text = pages(pdf)[0]
    assert ("II. Pembahasan Persiapan tempat workshop. Aula lantai 2 kantor gubernur. Kursi seratus buah. Jadwal "
            "narasumber. Narasumber Bappeda. III. Keputusan Workshop dilaksanakan. Hari Senin pukul 08.00. Tim "
            "menyiapkan format.") in text
    # The lists' markers are drawn after the text: the Pembahasan's, then the Keputusan's.
    assert text.endswith("1. a. b. 2. a. 1. a. 2."), text[-60:]
    edges = left_edges(pdf)
    for parent, under in (("Persiapan tempat workshop.", "Aula lantai 2 kantor gubernur."),
                          ("Persiapan tempat workshop.", "Kursi seratus buah."),
                          ("Jadwal narasumber.", "Narasumber Bappeda."),
                          ("Workshop dilaksanakan.", "Hari Senin pukul 08.00.")):
        assert edges[under] > edges[parent] + 10, (parent, under, edges[parent], edges[under])
    assert edges["Jadwal narasumber."] == edges["Persiapan tempat workshop."]
    assert edges["Tim menyiapkan format."] == edges["Workshop dilaksanakan."] == edges["Persiapan tempat workshop."]


@pytest.mark.parametrize("typed, items", [
    # A list of one level is as before, whatever its markers.
    ("o\tsatu\no\tdua", [("satu", ()), ("dua", ())]),
    ("a. satu\nb. dua", [("satu", ()), ("dua", ())]),
    # A letter out of its run under a number is the item's own text.
    ("1. Satu\nb. bukan rincian", [("Satu", ()), ("b. bukan rincian", ())]),
    # Word's first level from its Symbol font, read as a bullet by the form, "o" under it.
    ("•\tPersiapan.\no\tAula.\n•\tJadwal.", [("Persiapan.", ("Aula.",)), ("Jadwal.", ())]),
    ("- Persiapan\n\t- Aula\n\t- Kursi\n- Jadwal", [("Persiapan", ("Aula", "Kursi")), ("Jadwal", ())]),
])
def test_a_second_level_is_read_only_under_an_item(typed, items):
    assert [(b.teks, tuple(r.teks for r in b.rincian)) for b in nested_items(typed)] == items
    assert not any(r.rincian for b in nested_items(typed) for r in b.rincian)


def test_attendees_pasted_from_a_table_print_each_name_and_post_apart(people, walk):
    """Attendees copied from a Word table or Excel ("Name<TAB>Jabatan", a "No" column too) printed
    "Drs. H. Ahmad Yani, M.Si. Kepala Biro Kesra", nothing between the name and the post."""
    dossier = walk(STEP_BY_NUMBER[2].state)
    response = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
                        peserta="Drs. H. Ahmad Yani, M.Si.\tKepala Biro Kesra\r\n"
                                "2\tSiti Aminah, S.E.,\tKepala Subbagian Tata Usaha\t\r\nBudi Santoso\t\tStaf\r\n")
    assert response.status_code == 302, response.content.decode()
    text = pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN))[0]
    assert ("Peserta : 1. Drs. H. Ahmad Yani, M.Si., Kepala Biro Kesra 2. Siti Aminah, S.E., Kepala Subbagian "
            "Tata Usaha 3. Budi Santoso, Staf I. Pembukaan") in text


def test_a_tembusan_pasted_from_a_table_prints_each_official_and_note_apart(people, dossier):
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN,
             tembusan="Inspektur\tInspektorat Provinsi Kalimantan Barat\r\nKepala Biro Kesejahteraan Rakyat\t(sebagai laporan)")
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))[0]
    assert ("Tembusan: Yth. Inspektur, Inspektorat Provinsi Kalimantan Barat "
            "Yth. Kepala Biro Kesejahteraan Rakyat (sebagai laporan)") in text
