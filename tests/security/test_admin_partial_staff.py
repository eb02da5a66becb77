"""A bureau operator made admin staff with only some permissions and no workflow role: the lists of
what belongs to dossiers show them no dossier the policy hides, a signed record's SRIKANDI number is
never typed over here, a webhook's secret is for who may change the hook, and the people to choose
in a delegation or a certificate are listed without the permission to read every user; one who may
change users or groups gives no admin rights and changes no admin account."""

from django.contrib.auth.models import Group, Permission
from django.test import Client

from naskah.models import NaskahRecord
from tests.factories import admin_user_form, staff
from tests.naskah.helpers import signed_nota
from webhooks.models import Webhook
from workflow.models import AuditEvent, Delegation, ReminderSent, User


def test_the_dossiers_history_and_records_are_not_listed_to_staff_the_policy_shows_no_dossier(people, walk):
    dossier, _ = signed_nota(people, walk)
    ReminderSent.objects.create(visit=dossier.open_stay, kind=ReminderSent.Kind.LATE, recipients=people["kabiro"].email)
    client = staff(["view_dossier", "view_auditevent", "view_naskahrecord", "view_disposition", "view_renderjob",
                    "view_remindersent"])
    for url in ("/admin/workflow/dossier/", "/admin/workflow/auditevent/", "/admin/naskah/naskahrecord/",
                "/admin/workflow/disposition/", "/admin/naskah/renderjob/", "/admin/workflow/remindersent/"):
        page = client.get(url)
        assert page.status_code == 200 and page.context["cl"].result_count == 0, url
    event = AuditEvent.objects.filter(dossier=dossier).first()
    assert dossier.judul not in client.get(f"/admin/workflow/auditevent/{event.pk}/change/", follow=True).content.decode()
    admin = Client()
    admin.force_login(people["admin"])
    assert admin.get("/admin/workflow/auditevent/").context["cl"].result_count == AuditEvent.objects.count()
    assert admin.get("/admin/workflow/remindersent/").context["cl"].result_count == 1


def test_a_signed_records_srikandi_number_is_not_typed_over_in_the_admin(people, walk):
    dossier, _ = signed_nota(people, walk)
    record = NaskahRecord.objects.filter(document__dossier=dossier, signed_at__isnull=False).first()
    admin = Client()
    admin.force_login(people["admin"])
    for client in (staff(["view_naskahrecord", "change_naskahrecord"]), admin):
        client.post(f"/admin/naskah/naskahrecord/{record.pk}/change/",
                    {"nomor_srikandi": "B-999/SRIKANDI/2026", "srikandi_dicatat": "Orang lain"})
    record.refresh_from_db()
    assert record.nomor_srikandi != "B-999/SRIKANDI/2026"


def test_a_webhooks_secret_is_shown_only_to_who_may_change_the_hook(people):
    hook = Webhook.objects.create(nama="e-SAKIP", url="https://esakip.kalbarprov.go.id/kait", events=["iku.dikirim"])
    viewer = staff(["view_webhook"])
    assert hook.secret not in viewer.get(f"/admin/webhooks/webhook/{hook.pk}/change/").content.decode()
    keeper = staff(["view_webhook", "change_webhook"], username="pengelola")
    assert hook.secret in keeper.get(f"/admin/webhooks/webhook/{hook.pk}/change/").content.decode()


def test_staff_who_may_add_delegations_choose_the_bureaus_people_without_reading_every_user(people):
    client = staff(["add_delegation", "view_delegation"])
    page = client.get("/admin/workflow/delegation/add/").content.decode()
    assert people["kabag"].display_name in page and people["dinkes"].display_name not in page
    response = client.post("/admin/workflow/delegation/add/", {
        "official": people["kabag"].pk, "delegate": people["kasubag"].pk, "role": "kabag", "kind": "plh",
        "starts_on": "2027-03-01", "ends_on": "2027-03-05", "dasar": "Surat perintah 800/12/Kesra"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Delegation.objects.filter(official=people["kabag"], delegate=people["kasubag"]).exists()


def test_staff_who_may_change_users_give_no_admin_rights_nor_touch_an_admin_account(people):
    # With the permission to change users, an operator made themselves superuser, or set the
    # superuser's password and signed in as them.
    client = staff(["view_user", "change_user", "delete_user"])
    operator = User.objects.get(username="operator")
    staf = people["staf"]
    page = client.get(f"/admin/workflow/user/{staf.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page and 'name="user_permissions"' not in page
    saved = client.post(f"/admin/workflow/user/{staf.pk}/change/",
                        admin_user_form(staf, jabatan="Analis Kebijakan", is_staff="on", is_superuser="on"))
    assert saved.status_code == 302
    staf.refresh_from_db()
    assert staf.jabatan == "Analis Kebijakan" and not staf.is_staff and not staf.is_superuser
    assert client.post(f"/admin/workflow/user/{operator.pk}/change/",
                       admin_user_form(operator, is_staff="on", is_superuser="on")).status_code == 403
    operator.refresh_from_db()
    assert not operator.is_superuser
    admin = people["admin"]
    assert client.get(f"/admin/workflow/user/{admin.pk}/password/").status_code == 403
    assert client.post(f"/admin/workflow/user/{admin.pk}/password/", {
        "password1": "Diambil-alih-2027", "password2": "Diambil-alih-2027", "usable_password": "true"}).status_code == 403
    assert client.post(f"/admin/workflow/user/{admin.pk}/delete/", {"post": "yes"}).status_code == 403
    admin.refresh_from_db()
    assert not admin.check_password("Diambil-alih-2027")
    # A superuser still gives them.
    superuser = Client()
    superuser.force_login(admin)
    assert superuser.post(f"/admin/workflow/user/{operator.pk}/change/",
                          admin_user_form(operator, is_staff="on", is_superuser="on")).status_code == 302
    operator.refresh_from_db()
    assert operator.is_superuser


def test_staff_who_may_change_groups_give_their_own_group_no_permission(people):
    # A group's permissions are its members': one who may change groups gave their own every one.
    group = Group.objects.create(name="Operator")
    group.permissions.add(*Permission.objects.filter(codename__in=["view_group", "change_group", "add_group"]))
    client = staff([])
    operator = User.objects.get(username="operator")
    operator.groups.add(group)
    every = list(Permission.objects.values_list("pk", flat=True))
    assert client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Operator", "permissions": every}).status_code == 403
    assert client.post("/admin/auth/group/add/", {"name": "Semua", "permissions": every}).status_code == 403
    operator = User.objects.get(pk=operator.pk)
    assert not operator.has_perm("workflow.delete_user") and not Group.objects.filter(name="Semua").exists()
    assert client.get(f"/admin/auth/group/{group.pk}/change/").status_code == 200  # still shown


def test_staff_allowed_to_add_tokens_makes_one_for_themselves_not_for_the_kabiro(people):
    """A token acts as its user: one made for the Kabiro by an operator was the Kabiro's signature
    and initials through the API. Only a superuser makes tokens for others."""
    from api.models import ApiToken

    operator = staff(["add_apitoken", "view_apitoken"])
    me = User.objects.get(username="operator")
    form = {"nama": "Integrasi e-SAKIP", "akses": "baca", "hari": "30"}
    refused = operator.post("/admin/api/apitoken/add/", form | {"user": people["kabiro"].pk})
    assert refused.status_code == 200 and "bukan salah satu dari pilihan yang tersedia" in refused.content.decode()
    assert not ApiToken.objects.filter(user=people["kabiro"]).exists()
    assert list(refused.context["adminform"].form.fields["user"].queryset) == [me]
    assert operator.post("/admin/api/apitoken/add/", form | {"user": me.pk}).status_code == 200
    assert ApiToken.objects.filter(user=me).count() == 1
    admin = Client()
    admin.force_login(people["admin"])
    admin.post("/admin/api/apitoken/add/", form | {"user": people["kabiro"].pk})
    assert ApiToken.objects.filter(user=people["kabiro"]).count() == 1
