"""A signed print names who signed it, in the capacity they signed in, as its PAdES stamp and its
record do: the official signing himself while a Plh. runs is printed without "Plh." and with his
own name and NIP, not the Plh.'s; the Plh. signing is printed as "Plh." with the Plh.'s. A draft
(KONSEP) still shows whoever would sign today, the Plh. while one runs."""

import datetime

import pytest
from django.utils import timezone

from naskah import pades, record
from naskah.models import NaskahRecord
from tests.factories import client_for
from tests.naskah.helpers import cetak_pdf, generate, initialled, pages, stored_pdf
from workflow import demo
from workflow.models import AuditEvent, Delegation, User, UserRole
from workflow.roles import DelegationKind, Role
from workflow.steps import STEP_BY_NUMBER, DocKind

KABIRO_BLOCK = "KEPALA BIRO KESEJAHTERAAN RAKYAT, Dr. H. Syarif Abdullah, M.Si. Pembina Utama Muda (IV/c) NIP. 19660801 198803 1 001"
PLH_KABIRO_BLOCK = ("Plh. KEPALA BIRO KESEJAHTERAAN RAKYAT, Drs. Hendra Gunawan, M.M. Pembina (IV/a) "
                    "NIP. 19750520 200003 1 004")
KABAG_NIP = "NIP. 19750520 200003 1 004"
KABIRO_NIP = "NIP. 19660801 198803 1 001"
KASUBAG_NIP = "NIP. 19820315 200604 2 003"


def stand_in(people, role, to):
    """`to` is Plh. of `role` from today for a few days, as the official would set it."""
    today = timezone.localdate()
    return Delegation.objects.create(official=people[role], delegate=people[to], role=role, kind=DelegationKind.PLH,
                                     starts_on=today, ends_on=today + datetime.timedelta(days=3))


def signed(dossier, kind) -> tuple[str, bytes]:
    """The signed document's text as it is served, and its bytes."""
    made = record.latest(dossier, kind)
    assert made.is_final
    pdf = record.served_bytes(made)
    return " ".join(pages(pdf)), pdf


def stamped(pdf: bytes) -> list[str]:
    """Who the valid signatures name as signer (the certificate may be the institution's)."""
    return [check.nama for check in pades.validate(pdf) if check.sah]


@pytest.fixture
def plh_kabiro(people):
    return stand_in(people, Role.KABIRO, "kabag")


def test_the_kabiro_signing_the_nota_himself_during_a_plh_is_the_one_it_names(people, walk, plh_kabiro):
    dossier = initialled(people, walk)
    # Before the signature the draft shows who would sign today: the Plh.
    assert PLH_KABIRO_BLOCK in " ".join(pages(cetak_pdf(people, dossier)))

    demo.finish(dossier, people["kabiro"])

    text, pdf = signed(dossier, DocKind.NOTA_DINAS)
    assert KABIRO_BLOCK in text
    assert "Plh." not in text and KABAG_NIP not in text
    # The print, the stamp and the record name the same person.
    assert any("Syarif Abdullah" in name for name in stamped(pdf))
    assert record.latest(dossier, DocKind.NOTA_DINAS).signed_by.startswith("Dr. H. Syarif Abdullah")
    assert cetak_pdf(people, dossier) == pdf


def test_the_plh_signing_the_nota_is_printed_as_plh(people, walk, plh_kabiro):
    dossier = initialled(people, walk)

    demo.finish(dossier, people["kabag"])

    text, pdf = signed(dossier, DocKind.NOTA_DINAS)
    assert PLH_KABIRO_BLOCK in text and KABIRO_NIP not in text
    assert any("Hendra Gunawan" in name for name in stamped(pdf))


def test_of_two_plh_on_the_same_day_the_one_who_signed_is_printed(people, walk, plh_kabiro):
    # Another Kabag stands in too, from the afternoon: the two delegations overlap today.
    other = User.objects.create_user("kabag2", nama="Ir. Sri Wahyuni, M.T.", jabatan="Kepala Bagian Kesejahteraan Masyarakat",
                                     pangkat_golongan="Pembina (IV/a)", nip="197708152002122005")
    UserRole.objects.create(user=other, role=Role.KABAG)
    people = people | {"kabag2": other}
    stand_in(people, Role.KABIRO, "kabag2")
    dossier = initialled(people, walk)

    demo.finish(dossier, other)

    text, pdf = signed(dossier, DocKind.NOTA_DINAS)
    assert ("Plh. KEPALA BIRO KESEJAHTERAAN RAKYAT, Ir. Sri Wahyuni, M.T. Pembina (IV/a) "
            "NIP. 19770815 200212 2 005") in text
    assert KABAG_NIP not in text.split("Plh. KEPALA BIRO")[-1]
    assert any("Sri Wahyuni" in name for name in stamped(pdf))


def letter_to_agencies(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD)
    assert PLH_KABIRO_BLOCK in " ".join(pages(stored_pdf(dossier, DocKind.SURAT_SKPD)))
    return dossier


def test_the_kabiro_signing_the_letter_to_the_agencies_himself_during_a_plh_is_the_one_it_names(
        people, walk, plh_kabiro):
    dossier = letter_to_agencies(people, walk)

    demo.finish(dossier, people["kabiro"])

    text, pdf = signed(dossier, DocKind.SURAT_SKPD)
    assert KABIRO_BLOCK in text and "Plh." not in text and KABAG_NIP not in text
    assert any("Syarif Abdullah" in name for name in stamped(pdf))


def test_the_plh_signing_the_letter_to_the_agencies_is_printed_as_plh(people, walk, plh_kabiro):
    dossier = letter_to_agencies(people, walk)

    demo.finish(dossier, people["kabag"])

    text, pdf = signed(dossier, DocKind.SURAT_SKPD)
    assert PLH_KABIRO_BLOCK in text and KABIRO_NIP not in text
    assert any("Hendra Gunawan" in name for name in stamped(pdf))


def longest_name(given: str) -> str:
    """A name with gelar exactly as long as the user form takes (150 characters)."""
    name = (f"Prof. Dr. Ir. H. {given} " + "Abdurrahman Alqadrie Wirabuana Kusumanegara " * 3)[:137] + ", M.Sc., M.M."
    assert len(name) == User._meta.get_field("nama").max_length == 150
    return name


def test_a_plh_and_an_official_with_the_longest_names_sign_and_the_record_keeps_both(people, walk, plh_kabiro):
    # Both at 150 characters, "Plh. Kabiro ... atas nama ..." is 323: the log's column took 300, so
    # on PostgreSQL the signature failed with a server error.
    for username, given in (("kabiro", "Syarif"), ("kabag", "Hendra")):
        people[username].nama = longest_name(given)
        people[username].save()
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD)

    demo.finish(dossier, people["kabag"])

    label = f"Plh. Kabiro {longest_name('Hendra')} atas nama {longest_name('Syarif')}"
    assert dossier.events.latest("pk").actor_label == label
    made = record.latest(dossier, DocKind.SURAT_SKPD)
    assert made.signed_by == label
    for model, name in ((AuditEvent, "actor_label"), (NaskahRecord, "signed_by")):
        assert len(label) <= model._meta.get_field(name).max_length
    text, _ = signed(dossier, DocKind.SURAT_SKPD)
    assert f"Plh. KEPALA BIRO KESEJAHTERAAN RAKYAT, {longest_name('Hendra')}" in text


def test_the_invitation_sent_by_the_kasubag_herself_during_a_plh_names_her(people, dossier):
    stand_in(people, Role.KASUBAG, "staf")
    for kind in STEP_BY_NUMBER[1].requires:
        demo.upload(dossier, people["staf"], kind)
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert "Plh. KEPALA SUBBAGIAN TATA USAHA" in " ".join(pages(stored_pdf(dossier, DocKind.UNDANGAN)))

    demo.finish(dossier, people["kasubag"])

    text, pdf = signed(dossier, DocKind.UNDANGAN)
    assert ("a.n. KEPALA BIRO KESEJAHTERAAN RAKYAT KEPALA SUBBAGIAN TATA USAHA, Rina Marlina, S.E., M.Si. "
            f"Penata Tingkat I (III/d) {KASUBAG_NIP}") in text
    assert "Plh." not in text
    assert any("Rina Marlina" in name for name in stamped(pdf))


def test_the_minutes_name_the_kasubag_who_signed_them_as_chair_not_the_plh_the_form_proposed(people, walk):
    stand_in(people, Role.KASUBAG, "staf")
    dossier = walk(STEP_BY_NUMBER[2].state)
    # While the Plh. runs, the form proposes the Plh. (the Staf) as chair; the Staf also takes the minutes.
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN)
    draft = " ".join(pages(stored_pdf(dossier, DocKind.NOTULEN_PERSIAPAN)))
    assert KASUBAG_NIP not in draft

    # The Kasubag, back at her desk, finishes the step: her signature is the chair's.
    demo.finish(dossier, people["kasubag"])

    text, pdf = signed(dossier, DocKind.NOTULEN_PERSIAPAN)
    assert f"Pimpinan Rapat, Rina Marlina, S.E., M.Si. Penata Tingkat I (III/d) {KASUBAG_NIP}" in text
    assert [name for name in stamped(pdf) if "Rina Marlina" in name]
