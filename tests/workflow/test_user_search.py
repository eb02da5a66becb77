"""Admin › Pengguna: the account behind a bounced notice is found by the address the mail server
returned, and an agency's officers by the agency's short name or abbreviation, as the list names it.
The search reads no more than the list and the user's page show whoever may open them."""

import re

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import client_for
from workflow.models import Skpd, User


def listed(client, term) -> set[str]:
    page = client.get("/admin/workflow/user/", {"q": term})
    assert page.status_code == 200
    return set(re.findall(r'href="/admin/workflow/user/\d+/change/[^"]*">([^<]+)</a>', page.content.decode()))


def test_the_admin_finds_an_account_by_its_email_or_its_agency(people):
    User.objects.filter(pk=people["dinkes"].pk).update(email="bambang.s@dinkes.kalbarprov.go.id")
    Skpd.objects.filter(pk=people["dinsos"].skpd_id).update(singkatan="Dinsos")
    admin = client_for(people, "admin")
    # As the bounce returned it, the case changed by the mail server.
    assert listed(admin, "Bambang.S@Dinkes.Kalbarprov.go.id") == {"dinkes"}
    assert listed(admin, "Dinas Kesehatan") == {"dinkes"}
    assert listed(admin, "dinsos") == {"dinsos"}  # its abbreviation, as the list's column shows it
    assert "e-mail" in admin.get("/admin/workflow/user/").content.decode()  # the box says where it looks


def test_staff_who_may_only_view_users_search_no_further_than_the_list_shows_them(people):
    User.objects.filter(pk=people["dinkes"].pk).update(email="bambang.s@dinkes.kalbarprov.go.id")
    viewer = User.objects.create(username="pemeriksa", nama="Pemeriksa", is_staff=True, is_active=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = Client()
    client.force_login(viewer)
    assert listed(client, "bambang.s@dinkes") == {"dinkes"}
    assert listed(client, "Dinas Kesehatan") == {"dinkes"}
    # The address is on the account's page the list opens for them: the search found nothing hidden.
    page = client.get(f"/admin/workflow/user/{people['dinkes'].pk}/change/").content.decode()
    assert "bambang.s@dinkes.kalbarprov.go.id" in page
