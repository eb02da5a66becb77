"""A staff account the admin lets only view a list cannot run the list's actions that change
things: revoking every API token, switching agencies off and on."""

import re

from django.contrib.auth.models import Permission
from django.test import Client

from api import tokens
from api.models import ApiToken
from workflow.models import Skpd, User


def viewer(codenames) -> Client:
    person = User.objects.create(username="pemeriksa", nama="Pemeriksa", is_staff=True, is_active=True)
    person.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(person)
    return client


def acted(client, url, action, ids) -> str:
    page = client.get(url).content.decode()
    posted = client.post(url, {"action": action, "_selected_action": ids, "index": 0}, follow=True)
    return page + posted.content.decode()


def test_view_only_staff_can_neither_revoke_tokens_nor_switch_agencies(people):
    row, _secret = tokens.issue(people["kasubag"], "e-SAKIP", "baca", 30)
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    client = viewer(["view_apitoken", "view_skpd"])
    tokens_page = client.get("/admin/api/apitoken/").content.decode()
    assert "e-SAKIP" in tokens_page and 'value="cabut"' not in tokens_page
    acted(client, "/admin/api/apitoken/", "cabut", [row.pk])
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None
    agencies = client.get("/admin/workflow/skpd/").content.decode()
    assert not re.search(r'value="(non)?aktifkan"', agencies)
    acted(client, "/admin/workflow/skpd/", "nonaktifkan", [dinkes.pk])
    assert Skpd.objects.get(pk=dinkes.pk).aktif


def test_with_the_change_permission_the_actions_are_there(people):
    row, _secret = tokens.issue(people["kasubag"], "e-SAKIP", "baca", 30)
    client = viewer(["view_apitoken", "change_apitoken", "view_skpd", "change_skpd"])
    acted(client, "/admin/api/apitoken/", "cabut", [row.pk])
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    acted(client, "/admin/workflow/skpd/", "nonaktifkan", [dinkes.pk])
    assert not Skpd.objects.get(pk=dinkes.pk).aktif
