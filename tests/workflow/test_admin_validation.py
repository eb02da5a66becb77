"""What the admin and the officials read about people: the login's refusal in plain Indonesian, the
dossier page without an input that saving ignores, and a delegation that gives nothing because
someone in it was deactivated marked so on /pelimpahan/."""

import datetime
import html
import re

from django.test import Client
from django.utils import timezone

from tests.factories import client_for
from workflow.models import Delegation, User
from workflow.roles import Role


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def test_a_wrong_password_is_refused_without_doubled_words(people):
    page = text(Client().post("/masuk/", {"username": "kabag", "password": "salah-sekali"}))
    assert "Masukkan nama pengguna dan sandi yang benar." in page
    assert "nama pengguna nama pengguna" not in page.lower()
    admin_login = text(Client().post("/admin/login/", {"username": "kabag", "password": "salah-sekali"}))
    assert "Masukkan nama pengguna dan sandi yang benar untuk akun staf." in admin_login
    assert "nama pengguna nama pengguna" not in admin_login.lower()


def test_the_dossier_page_shows_who_prepared_it_with_nothing_to_save(people, dossier):
    dossier.prepared_by.add(people["staf"])
    admin = client_for(people, "admin")
    url = f"/admin/workflow/dossier/{dossier.pk}/change/"
    page = admin.get(url).content.decode()
    assert 'name="prepared_by"' not in page and "<select" not in page
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert "Disiapkan oleh" in page and html.escape(people["staf"].display_name) in page
    admin.post(url, {"prepared_by": [people["kabag"].pk]})
    assert list(dossier.prepared_by.all()) == [people["staf"]]


def delegation(official, delegate, role) -> Delegation:
    today = timezone.localdate()
    return Delegation.objects.create(official=official, delegate=delegate, role=role, kind="plh",
                                     starts_on=today, ends_on=today + datetime.timedelta(days=3))


def test_a_delegation_to_a_deactivated_deputy_is_marked_as_not_in_force(people):
    kasubag, staf = people["kasubag"], people["staf"]
    delegation(kasubag, staf, Role.KASUBAG)
    page = text(client_for(people, "kasubag").get("/pelimpahan/"))
    assert "tidak berlaku" not in page
    User.objects.filter(pk=staf.pk).update(is_active=False)
    page = text(client_for(people, "kasubag").get("/pelimpahan/"))
    assert f"tidak berlaku: {staf.display_name} nonaktif" in page


def test_a_delegation_from_a_deactivated_official_is_marked_for_the_deputy(people):
    kabag, kasubag = people["kabag"], people["kasubag"]
    delegation(kabag, kasubag, Role.KABAG)
    User.objects.filter(pk=kabag.pk).update(is_active=False)
    page = text(client_for(people, "kasubag").get("/pelimpahan/"))
    assert f"atas nama {kabag.display_name}" in page
    assert f"tidak berlaku: {kabag.display_name} nonaktif" in page
    listing = text(client_for(people, "admin").get("/admin/workflow/delegation/"))
    assert f"tidak berlaku: {kabag.display_name} nonaktif" in listing
