"""Password guessing is stopped, sessions end when they should, and everyone can change their password."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.factories import client_for
from workflow.demo import DEMO_PASSWORD


def try_login(client, username, password):
    return client.post("/masuk/", {"username": username, "password": password})


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(people):
    kabag = people["kabag"]
    kabag.set_password(DEMO_PASSWORD)
    kabag.save()
    client = Client()
    for _ in range(4):
        assert try_login(client, "kabag", "salah-sekali").status_code == 200  # the form again, with its error
    locked = try_login(client, "kabag", "salah-sekali")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    still = try_login(Client(REMOTE_ADDR="10.0.0.9"), "kabag", DEMO_PASSWORD)
    assert still.status_code == 429  # locked per user, whatever the address
    assert "_auth_user_id" not in Client().session


def test_an_admin_lifts_a_lockout(people):
    from axes.models import AccessAttempt

    people["kabag"].set_password(DEMO_PASSWORD)
    people["kabag"].save()
    client = Client()
    for _ in range(5):
        try_login(client, "kabag", "salah")
    assert try_login(client, "kabag", DEMO_PASSWORD).status_code == 429
    admin = client_for(people, "admin")
    assert admin.get("/admin/axes/accessattempt/").status_code == 200
    AccessAttempt.objects.all().delete()  # what "hapus" on that admin page does
    assert try_login(client, "kabag", DEMO_PASSWORD).status_code == 302


def test_a_deactivated_users_sessions_are_deleted_and_stay_gone_on_reactivation(people):
    staf = people["staf"]
    client = client_for(people, "staf")
    assert client.get("/").status_code == 200
    assert Session.objects.count() == 1
    staf.is_active = False
    staf.save()
    assert Session.objects.count() == 0
    staf.is_active = True
    staf.save()
    assert client.get("/").status_code == 302  # back to the login page


def test_a_session_ends_after_a_working_day_idle(people, settings):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    client = client_for(people, "kasubag")
    client.get("/")
    session = Session.objects.get()
    first = session.expire_date
    Session.objects.filter(pk=session.pk).update(expire_date=first.replace(year=first.year - 1))
    assert client.get("/").status_code == 302


def test_every_user_changes_their_password_with_strong_rules(people):
    dinkes = people["dinkes"]
    dinkes.set_password(DEMO_PASSWORD)
    dinkes.save()
    client = client_for(people, "dinkes")
    page = client.get("/kata-sandi/").content.decode()
    assert "Ganti kata sandi" in page
    weak = client.post("/kata-sandi/", {"old_password": DEMO_PASSWORD, "new_password1": "12345678",
                                        "new_password2": "12345678"}).content.decode()
    assert "setidaknya 10 karakter" in weak and "kata sandi" in weak.lower()
    done = client.post("/kata-sandi/", {"old_password": DEMO_PASSWORD, "new_password1": "Khatulistiwa-2027!",
                                        "new_password2": "Khatulistiwa-2027!"}, follow=True)
    assert "Kata sandi Anda sudah diganti." in done.content.decode()
    dinkes.refresh_from_db()
    assert dinkes.check_password("Khatulistiwa-2027!")
