"""Minutes pasted from Word with three levels of list: the third level ("§" or Wingdings' square under
"o", or "i." under "a.") printed as an item of the first level, numbered on with the list's own
points. Every level now prints at its own indent, marked 1., a., 1), a) as Tata Naskah Dinas lists
them; a level typed deeper than the print has prints at the deepest, never back at the first."""

import pytest

from naskah.content import nested_items
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from tests.naskah.test_typed_lists import left_edges
from workflow.steps import STEP_BY_NUMBER, DocKind

KIND = DocKind.NOTULEN_PERSIAPAN


def outline(items) -> list:
    return [(b.teks, outline(b.rincian)) for b in items]


@pytest.mark.parametrize("typed", [
    # Word's bullets as its fonts' code points (the form reads U+F0B7 as "•", U+F0A7 as "▪").
    "•\tPersiapan.\no\tTempat.\n▪\tAula lantai 2.\n▪\tKursi.\no\tJadwal.\n•\tBahan.",
    # The same list as Word's plain text copies it: a middle dot, "o" and a section sign.
    "·\tPersiapan.\no\tTempat.\n§\tAula lantai 2.\n§\tKursi.\no\tJadwal.\n·\tBahan.",
    # Word's numbered list: 1., a., i.
    "1.\tPersiapan.\na.\tTempat.\ni.\tAula lantai 2.\nii.\tKursi.\nb.\tJadwal.\n2.\tBahan.",
    # Typed, each level indented further.
    "- Persiapan.\n  - Tempat.\n    - Aula lantai 2.\n    - Kursi.\n  - Jadwal.\n- Bahan.",
])
def test_a_third_level_is_kept_under_the_second(typed):
    assert outline(nested_items(typed)) == [
        ("Persiapan.", [("Tempat.", [("Aula lantai 2.", []), ("Kursi.", [])]), ("Jadwal.", [])]), ("Bahan.", [])]


def test_an_i_in_a_run_of_letters_is_the_next_letter_not_a_third_level():
    typed = "1. Satu\n" + "\n".join(f"{letter}. Rincian {letter}" for letter in "abcdefghi")
    assert outline(nested_items(typed)) == [("Satu", [(f"Rincian {letter}", []) for letter in "abcdefghi"])]


def test_levels_deeper_than_the_print_has_follow_their_item_at_the_deepest():
    typed = "- L1\n  - L2\n    - L3\n      - L4\n        - L5\n          - L6\n      - L4 lagi\n- L1 lagi"
    assert outline(nested_items(typed)) == [
        ("L1", [("L2", [("L3", [("L4", []), ("L5", []), ("L6", []), ("L4 lagi", [])])])]), ("L1 lagi", [])]


def test_minutes_pasted_from_word_with_three_levels_print_each_at_its_own_indent(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    response = generate(client_for(people, "staf"), dossier, KIND,
                        pembahasan="\uf0b7\tPersiapan tempat workshop.\r\no\tAula lantai 2.\r\n"
                                   "\uf0a7\tKursi seratus buah.\r\n\uf0a7\tMeja narasumber.\r\no\tKonsumsi peserta.\r\n"
                                   "\uf0b7\tJadwal narasumber.",
                        keputusan="- Bahan disiapkan.\r\n  - Format Konsep IKU.\r\n    - Kolom sasaran.\r\n"
                                  "      - Satu sasaran per baris.\r\n        - Paling banyak tiga indikator.\r\n"
                                  "- Undangan dikirim.")
    assert response.status_code == 302, response.content.decode()
    pdf = stored_pdf(dossier, KIND)
    text = pages(pdf)[0]
    # Two points of the Pembahasan, two of the Keputusan: the markers, drawn after the text, number
    # only those; those under them are lettered, then numbered in brackets, then lettered in brackets.
    assert text.endswith("1. a. 1) 2) b. 2. 1. a. 1) a) b) 2."), text[-60:]
    edges = left_edges(pdf)
    first, second, third = (edges[t] for t in ("Persiapan tempat workshop.", "Aula lantai 2.", "Kursi seratus buah."))
    assert second > first + 10 and third > second + 10
    assert edges["Meja narasumber."] == third and edges["Konsumsi peserta."] == second
    assert edges["Jadwal narasumber."] == first == edges["Bahan disiapkan."] == edges["Undangan dikirim."]
    assert edges["Format Konsep IKU."] == second and edges["Kolom sasaran."] == third
    fourth = edges["Satu sasaran per baris."]
    assert fourth > third + 10 and edges["Paling banyak tiga indikator."] == fourth
