"""A fresh install: the Kasubag opens the first round while the admin has made officers for only
some agencies. The Dosier baru form, where the Kasubag decides whom to invite, says which agencies
nobody acts for (nobody there would be told of the round or could send its IKU), and what to do."""

import re

from tests.factories import client_for
from workflow.models import Skpd, User, UserRole

NOTE = "belum punya pengguna aktif berperan SKPD"


def marked(page: str) -> set[str]:
    """The agencies whose box the form marks as having nobody to act for them."""
    return set(re.findall(r'<label for="id_invited_\d+">([^<]+) <span class="badge">belum ada petugas</span>', page))


def test_the_new_dossier_form_names_the_agencies_nobody_acts_for(people):
    kasubag = client_for(people, "kasubag")
    page = kasubag.get("/dosier/baru/").content.decode()
    staffed = set(User.objects.filter(is_active=True, role_set__role="skpd").values_list("skpd__nama_pendek", flat=True))
    offered = set(Skpd.objects.active().values_list("nama_pendek", flat=True))
    assert NOTE in page and f"{len(offered - staffed)} dari {len(offered)} SKPD" in page
    assert "Admin › Pengguna (peran SKPD" in page and "hapus centangnya" in page
    assert marked(page) == offered - staffed
    # The bureau itself is offered like any agency, and its staff act as bureau roles, not as its officer.
    assert "Biro Kesejahteraan Rakyat" in marked(page)
    # Each agency given an active officer: nothing said.
    for number, agency in enumerate(Skpd.objects.active().exclude(nama_pendek__in=staffed)):
        officer = User.objects.create_user(f"petugas{number}", skpd=agency)
        UserRole.objects.create(user=officer, role="skpd")
    page = kasubag.get("/dosier/baru/").content.decode()
    assert NOTE not in page and marked(page) == set()


def test_a_deactivated_officer_does_not_count(people):
    User.objects.filter(pk=people["dinkes"].pk).update(is_active=False)
    page = client_for(people, "kasubag").get("/dosier/baru/").content.decode()
    assert "Dinas Kesehatan" in marked(page) and "Dinas Sosial" not in marked(page)


def test_finishing_step_3_marks_the_missing_agencies_nobody_can_send_for(people, walk):
    # Dinas Pendidikan dan Kebudayaan is invited and has no officer: waiting for its Konsep IKU
    # waits for nobody. The form that records who has not sent says so, beside its name.
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[3].state)
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    labels = dict((name.strip(), mark) for name, mark in re.findall(
        r'<label for="id_skpd_belum_mengirim_\d+"><input[^>]*>\s*([^<(]+?)( \(belum ada petugas\))?</label>', page))
    assert labels == {"Dinas Kesehatan": "", "Dinas Sosial": "", "Dinas Pendidikan dan Kebudayaan": " (belum ada petugas)"}, labels
    assert "tidak dapat mengirim IKU lewat aplikasi" in page
