"""A fresh install: the Kasubag opens the first round before the admin has made the agencies'
officers. The dossier page says which invited agencies nobody acts for, since nobody there is told
of the round nor can send its IKU; the line goes once each has an active officer."""

from tests.factories import client_for
from workflow.models import User, UserRole


def said(page: str) -> str:
    return page.split("belum punya pengguna aktif berperan SKPD", 1)[1].split("</p>", 1)[0] if (
        "belum punya pengguna aktif berperan SKPD" in page) else ""


def test_the_dossier_page_names_the_invited_agencies_without_an_active_officer(people, dossier):
    kasubag = client_for(people, "kasubag")
    dinkes = people["dinkes"]
    invited = {agency.pk: agency for agency in dossier.invited.all()}
    without = [agency for agency in invited.values()
               if not User.objects.filter(skpd=agency, is_active=True, role_set__role="skpd").exists()]
    User.objects.filter(pk=dinkes.pk).update(is_active=False)
    line = said(kasubag.get(f"/dosier/{dossier.pk}/").content.decode())
    assert dinkes.skpd.nama_pendek in line and "Admin › Pengguna (peran SKPD" in line
    assert all(agency.nama_pendek in line for agency in without)
    # Every invited agency with an active officer: nothing said.
    User.objects.filter(pk=dinkes.pk).update(is_active=True)
    for number, agency in enumerate(without):
        officer = User.objects.create_user(f"petugas{number}", skpd=agency)
        UserRole.objects.create(user=officer, role="skpd")
    assert said(kasubag.get(f"/dosier/{dossier.pk}/").content.decode()) == ""


def test_an_agency_officer_is_not_told_of_other_agencies(people, dossier):
    User.objects.filter(pk=people["dinsos"].pk).update(is_active=False)
    assert said(client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()) == ""
