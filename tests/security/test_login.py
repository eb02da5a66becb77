"""Password guessing is stopped, sessions end when they should, and everyone can change their password."""

import datetime
import re

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


def test_five_wrong_passwords_lock_that_name_from_that_address_only(people):
    kabag = people["kabag"]
    kabag.set_password(DEMO_PASSWORD)
    kabag.save()
    guesser = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(4):
        assert try_login(guesser, "kabag", "salah-sekali").status_code == 200  # the form again, with its error
    locked = try_login(guesser, "kabag", "salah-sekali")
    assert locked.status_code == 429
    page = re.sub(r"\s+", " ", locked.content.decode())
    assert "Terlalu banyak percobaan masuk" in page
    assert "15 menit" in page and "PT15M" not in page
    assert try_login(Client(REMOTE_ADDR="10.0.0.9"), "kabag", DEMO_PASSWORD).status_code == 429
    # The real Kabag, elsewhere, is not locked out by someone guessing his password.
    office = Client(REMOTE_ADDR="10.0.0.5")
    assert try_login(office, "kabag", DEMO_PASSWORD).status_code == 302
    assert "_auth_user_id" in office.session


def test_the_lockout_page_says_the_configured_time_in_words(people, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=90)
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        locked = try_login(client, "kabag", "salah")
    assert locked.status_code == 429
    assert "selama 1 jam 30 menit" in locked.content.decode()


def test_a_right_password_clears_its_names_failures_from_that_address(people):
    people["staf"].set_password(DEMO_PASSWORD)
    people["staf"].save()
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(2):
        for _ in range(4):
            assert try_login(client, "staf", "salah").status_code == 200
        assert try_login(client, "staf", DEMO_PASSWORD).status_code == 302
        client.post("/keluar/")


def test_an_address_trying_many_names_is_stopped_for_every_name_but_only_there(people, settings):
    from axes.models import AccessAttempt

    assert settings.SOP_LOGIN_ADDRESS_FAILURE_LIMIT == 20
    people["kabag"].set_password(DEMO_PASSWORD)
    people["kabag"].save()
    sprayer = Client(REMOTE_ADDR="10.0.0.7")
    names = ["kasubag", "staf", "kabiro", "tim", "dinkes"]
    answers = [try_login(sprayer, name, "Rahasia-2027").status_code for name in names for _ in range(4)]
    # Four for each name, one short of locking any single one: the twentieth locks the address.
    assert answers == [200] * 19 + [429]
    assert sum(a.failures_since_start for a in AccessAttempt.objects.all()) == 20
    refused = try_login(sprayer, "kabag", DEMO_PASSWORD)
    assert refused.status_code == 429
    assert "semua percobaan masuk dari sini ditahan" in re.sub(r"\s+", " ", refused.content.decode())
    assert try_login(Client(REMOTE_ADDR="10.0.0.5"), "kabag", DEMO_PASSWORD).status_code == 302


def test_behind_a_proxy_the_lockout_binds_the_clients_own_address(people, settings):
    settings.SOP_PROXY_COUNT = 1
    people["kabag"].set_password(DEMO_PASSWORD)
    people["kabag"].save()
    # The guesser writes another address into the header; the proxy appends the one it saw.
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.5, 198.51.100.66")
    for _ in range(5):
        try_login(guesser, "kabag", "salah")
    assert try_login(guesser, "kabag", DEMO_PASSWORD).status_code == 429
    kabag = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.5")
    assert try_login(kabag, "kabag", DEMO_PASSWORD).status_code == 302


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


def test_a_deactivated_officer_signing_in_again_reads_that_the_account_is_deactivated_not_a_wrong_password(people):
    """Deactivated while a form was open, the officer reads "Sesi Anda telah berakhir ... masuk lagi",
    signs in with the right password and was told the password was wrong: off to "Lupa kata sandi?"
    for a link that could not help. Only the right password learns that the account is deactivated."""
    staf = people["staf"]
    staf.set_password(DEMO_PASSWORD)
    staf.is_active = False
    staf.save()
    page = try_login(Client(), "staf", DEMO_PASSWORD)
    body = page.content.decode()
    assert page.status_code == 200 and "_auth_user_id" not in page.wsgi_request.session
    said = re.search(r'<div class="error" role="alert" id="masuk-salah">(.*?)</div>', body, re.S).group(1)
    assert "dinonaktifkan oleh admin Biro" in said and "sandi yang benar" not in said
    wrong = try_login(Client(), "staf", "bukan-sandinya").content.decode()
    assert "dinonaktifkan" not in wrong and "sandi yang benar" in wrong
    staf.is_active = True
    staf.save()
    assert try_login(Client(), "staf", DEMO_PASSWORD).status_code == 302


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


def test_wrong_old_passwords_on_the_change_page_count_as_failed_logins(people):
    """A borrowed session cannot guess the password on /kata-sandi/ without limit, then sign with it."""
    dinsos = people["dinsos"]
    dinsos.set_password(DEMO_PASSWORD)
    dinsos.save()
    borrowed = Client(REMOTE_ADDR="10.0.0.9")
    borrowed.force_login(dinsos)
    tries = {"new_password1": "Ganti-Sandi-2026x", "new_password2": "Ganti-Sandi-2026x"}
    for number in range(4):
        page = borrowed.post("/kata-sandi/", tries | {"old_password": f"salah-{number}"})
        assert page.status_code == 200 and "Kesalahan ini dihitung sebagai gagal masuk" in page.content.decode()
    assert borrowed.post("/kata-sandi/", tries | {"old_password": "salah-5"}).status_code == 429
    # Locked out: even the right old password changes nothing now.
    assert borrowed.post("/kata-sandi/", tries | {"old_password": DEMO_PASSWORD}).status_code in (302, 429)
    dinsos.refresh_from_db()
    assert dinsos.check_password(DEMO_PASSWORD)


def test_a_refused_sign_in_ties_its_message_to_the_fields_and_asks_for_the_password_again(people):
    kabag = people["kabag"]
    kabag.set_password(DEMO_PASSWORD)
    kabag.save()
    page = try_login(Client(), "kabag", "salah-sekali").content.decode()
    message = re.search(r'<div class="error" role="alert" id="masuk-salah">', page)
    assert message
    username = re.search(r"<input[^>]*name=\"username\"[^>]*>", page).group(0)
    password = re.search(r"<input[^>]*name=\"password\"[^>]*>", page).group(0)
    for field in (username, password):
        assert 'aria-invalid="true"' in field and 'aria-describedby="masuk-salah"' in field
    assert "autofocus" in password and "autofocus" not in username
    fresh = Client().get("/masuk/").content.decode()
    assert "autofocus" in re.search(r"<input[^>]*name=\"username\"[^>]*>", fresh).group(0)


def test_a_refused_new_password_is_told_beside_the_new_password_field(people):
    """On /kata-sandi/ a password the rules refuse was told under "Ulangi kata sandi baru", below
    the first field's rules: it read as about the repeat. It stands by the new password, as on the
    page behind a mailed link; a mismatch stays by the repeat."""
    dinkes = people["dinkes"]
    dinkes.set_password(DEMO_PASSWORD)
    dinkes.save()
    client = client_for(people, "dinkes")
    refused = client.post("/kata-sandi/", {"old_password": DEMO_PASSWORD, "new_password1": "pendek",
                                           "new_password2": "pendek"})
    form = refused.context["form"]
    assert "terlalu pendek" in " ".join(form.errors["new_password1"])
    assert "new_password2" not in form.errors
    text = refused.content.decode()
    repeat_label = str(form.fields["new_password2"].label)
    assert text.index("terlalu pendek") < text.index(repeat_label)
    mismatch = client.post("/kata-sandi/", {"old_password": DEMO_PASSWORD, "new_password1": "Khatulistiwa-2027!",
                                            "new_password2": "lain"})
    assert list(mismatch.context["form"].errors) == ["new_password2"]
