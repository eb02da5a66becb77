"""A token stops when its owner's trust does: a new password or a switched-off account revokes it,
as it ends the owner's other sessions; a login that only rehashes the password does not."""

from django.test import Client

from api.models import ApiToken
from tests.api.helpers import as_token
from tests.factories import admin_user_form, client_for
from workflow import demo

ME = "/api/v1/saya/"


def test_a_new_password_on_the_users_own_page_ends_their_tokens_and_says_so(people):
    old = as_token(people, "dinkes")
    other_users = as_token(people, "dinsos")
    assert old.get(ME).status_code == 200
    page = client_for(people, "dinkes")
    response = page.post("/kata-sandi/", {"old_password": demo.DEMO_PASSWORD, "new_password1": "Pontianak-2027-baru",
                                          "new_password2": "Pontianak-2027-baru"}, follow=True)
    assert "Token API Anda yang masih berlaku" in response.content.decode()
    assert old.get(ME).status_code == 401
    assert ApiToken.objects.get(pk=old.row.pk).status == "dicabut"
    assert other_users.get(ME).status_code == 200
    assert as_token(people, "dinkes").get(ME).status_code == 200


def test_an_account_switched_off_and_on_again_in_the_admin_finds_its_old_tokens_revoked(people):
    caller = as_token(people, "staf")
    admin = client_for(people, "admin")
    staf = people["staf"]
    change = f"/admin/workflow/user/{staf.pk}/change/"
    assert admin.post(change, admin_user_form(staf, is_active="")).status_code == 302
    assert admin.post(change, admin_user_form(staf, is_active="on")).status_code == 302
    staf.refresh_from_db()
    assert staf.is_active
    assert caller.get(ME).status_code == 401
    assert ApiToken.objects.get(pk=caller.row.pk).status == "dicabut"


def test_a_password_the_admin_sets_ends_the_users_tokens(people):
    caller = as_token(people, "kabiro")
    admin = client_for(people, "admin")
    response = admin.post(f"/admin/workflow/user/{people['kabiro'].pk}/password/",
                          {"password1": "Pontianak-2027-baru", "password2": "Pontianak-2027-baru", "usable_password": "true"})
    assert response.status_code == 302
    assert caller.get(ME).status_code == 401


def test_a_login_that_rehashes_the_same_password_keeps_the_tokens(people, settings):
    caller = as_token(people, "kabag")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    signed_in = Client().post("/masuk/", {"username": "kabag", "password": demo.DEMO_PASSWORD})
    assert signed_in.status_code == 302
    people["kabag"].refresh_from_db()
    assert people["kabag"].password.startswith("pbkdf2_sha1$")
    assert caller.get(ME).status_code == 200
