"""People set their own password from a link by e-mail: the admin sends it (to chosen users, or to
the new accounts of an import), or the person asks for it on the sign-in page ("Lupa kata sandi?"),
which answers the same words whoever is named and mails nobody without end. The link works once,
for a stated time, and only for whom the policy lets have it."""

import datetime
import re
import smtplib

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from tests.workflow.test_people_import import URL as IMPORT_URL
from tests.workflow.test_people_import import confirm, preview, xlsx
from workflow import password_links
from workflow.models import PasswordLink, Skpd, User, UserRole
from workflow.roles import Role

USERS = "/admin/workflow/user/"
FORGOTTEN = "/masuk/lupa/"
NEW_PASSWORD = "Pontianak-Khatulistiwa-77"


@pytest.fixture(autouse=True)
def committed(monkeypatch):
    """What runs once a request commits runs at its end, as it does outside a test, whose whole
    transaction never commits (the mail is queued after the commit: workflow.password_links)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda call, using=None, robust=False: call())


@pytest.fixture
def newcomer(people):
    """An agency's officer as the import leaves them: no password yet, an address for the link."""
    account = User.objects.create_user("rina.dinkes", email="rina@dinkes.example.go.id", nama="Rina Lestari",
                                       skpd=Skpd.objects.get(nama_pendek="Dinas Kesehatan"))
    UserRole.objects.create(user=account, role=Role.SKPD)
    assert not account.has_usable_password()
    return account


def send_links(client, *accounts):
    return client.post(USERS, {"action": "kirim_tautan_kata_sandi",
                               "_selected_action": [a.pk for a in accounts]}, follow=True)


def link_in(message) -> str:
    found = re.search(r"^(https?://\S+/kata-sandi/atur/\S+)$", message.body, re.MULTILINE)
    assert found, message.body
    return found[1]


def path_of(link: str) -> str:
    assert link.startswith(settings.SOP_SITE_URL.rstrip("/") + "/")
    return link[len(settings.SOP_SITE_URL.rstrip("/")):]


def open_link(client, link: str):
    """The link as a browser follows it: the token moves into the session, then the form."""
    first = client.get(path_of(link))
    if first.status_code == 302:
        return client.get(first["Location"])
    return first


def set_password(client, link, password=NEW_PASSWORD):
    page = open_link(client, link)
    assert page.status_code == 200 and "Atur kata sandi" in page.content.decode(), page.content.decode()
    return client.post(page.request["PATH_INFO"], {"new_password1": password, "new_password2": password})


def signs_in(username, password=NEW_PASSWORD) -> bool:
    client = Client()
    answer = client.post("/masuk/", {"username": username, "password": password})
    return answer.status_code == 302 and client.get("/").status_code == 200


def test_the_admin_sends_a_link_and_the_new_officer_sets_a_password_and_signs_in(admin_client, people, newcomer):
    listing = send_links(admin_client, newcomer).content.decode()
    assert "Tautan atur kata sandi dikirim ke e-mail 1 pengguna (rina.dinkes); berlaku 7 hari" in listing
    [message] = mail.outbox
    assert message.to == ["rina@dinkes.example.go.id"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "[SOP-IKU] Atur kata sandi akun Anda"
    assert "Yth. Rina Lestari" in message.body and "Akun Anda di SOP-IKU Biro Kesra sudah dibuat" in message.body
    assert "Nama pengguna: rina.dinkes" in message.body
    assert "Surel ini dikirim otomatis oleh SOP-IKU Biro Kesra" in message.body
    assert "Message-ID" in message.extra_headers
    logged = LogEntry.objects.filter(object_id=str(newcomer.pk)).get()
    assert logged.user == people["admin"] and "Tautan atur kata sandi dikirim ke rina@dinkes" in logged.change_message

    person = Client()
    page = open_link(person, link_in(message))
    text = page.content.decode()
    assert "rina.dinkes" in text and 'autocomplete="new-password"' in text
    # A refused password is said in Indonesian and never written back into the page.
    refused = person.post(page.request["PATH_INFO"], {"new_password1": "rina12345", "new_password2": "rina12345"})
    text = refused.content.decode()
    assert refused.status_code == 200 and "terlalu pendek" in text and "rina12345" not in text
    mismatch = person.post(page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert "Kedua kata sandi tidak sama" in mismatch.content.decode() and NEW_PASSWORD not in mismatch.content.decode()

    done = person.post(page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/"
    home = person.get("/")
    assert home.status_code == 200 and "Anda sudah masuk" in home.content.decode()
    assert signs_in("rina.dinkes")
    assert LogEntry.objects.filter(object_id=str(newcomer.pk), user=newcomer,
                                   change_message__contains="diatur sendiri").exists()
    # Used once: the same link again says so, with what to do.
    again = open_link(Client(), link_in(message)).content.decode()
    assert "Tautan tidak berlaku" in again and "Lupa kata sandi?" in again


def test_a_forgotten_password_is_set_again_from_the_sign_in_page(people):
    login = Client().get("/masuk/").content.decode()
    assert f'href="{FORGOTTEN}"' in login and "Lupa kata sandi?" in login
    person = Client()
    answer = person.post(FORGOTTEN, {"nama": "DINKES@example.go.id"})
    assert answer.status_code == 200 and 'id="tautan-dikirim"' in answer.content.decode()
    [message] = mail.outbox
    assert message.to == [people["dinkes"].email]
    assert "Bila bukan Anda yang memintanya, abaikan surel ini" in message.body and "/kata-sandi/atur/lupa/" in message.body
    assert set_password(person, link_in(message)).status_code == 302
    assert signs_in("dinkes")
    assert not signs_in("dinkes", "sopiku-demo")


def test_the_answer_is_the_same_whether_or_not_the_account_exists(people):
    people["staf"].email = ""
    people["staf"].save()
    people["dinsos"].is_active = False
    people["dinsos"].save()

    def answer(name):
        return Client().post(FORGOTTEN, {"nama": name}).content.decode()

    known = answer("kabag")
    assert len(mail.outbox) == 1
    # Unknown, without an address, deactivated, an admin account: the same page, no mail.
    for name in ("tidak.ada", "orang@tidak.ada", "staf", "dinsos", "admin"):
        assert answer(name) == known, name
    assert len(mail.outbox) == 1


def test_a_mailbox_cannot_be_flooded_nor_the_page_asked_without_end(people, settings):
    for _ in range(5):
        Client().post(FORGOTTEN, {"nama": "kabag"})
    assert len(mail.outbox) == settings.SOP_PASSWORD_RESET_MAILS == 3

    # Five asked already from this address: two more, whatever the names, and no more this hour.
    settings.SOP_PASSWORD_RESET_ASKS = 7
    client = Client()
    for name in ("tidak.ada.1", "tidak.ada.2"):
        assert client.post(FORGOTTEN, {"nama": name}).status_code == 200
    refused = client.post(FORGOTTEN, {"nama": "kabiro"})
    assert refused.status_code == 429 and "Terlalu banyak permintaan dari jaringan ini" in refused.content.decode()
    assert 'value="kabiro"' in refused.content.decode()
    assert len(mail.outbox) == 3


def test_an_expired_link_says_so_and_the_first_link_lives_longer(admin_client, people, newcomer, monkeypatch):
    Client().post(FORGOTTEN, {"nama": "kabag"})
    send_links(admin_client, newcomer)
    forgotten, first = (link_in(m) for m in mail.outbox)
    later = datetime.datetime.now() + datetime.timedelta(minutes=settings.SOP_PASSWORD_RESET_MINUTES + 1)
    for tokens in password_links.TOKENS.values():
        monkeypatch.setattr(tokens, "_now", lambda: later)
    page = open_link(Client(), forgotten).content.decode()
    assert "Tautan tidak berlaku" in page and "sudah lewat masa berlakunya" in page
    assert "Atur kata sandi" in open_link(Client(), first).content.decode()
    past = datetime.datetime.now() + datetime.timedelta(days=settings.SOP_PASSWORD_LINK_DAYS, minutes=1)
    for tokens in password_links.TOKENS.values():
        monkeypatch.setattr(tokens, "_now", lambda: past)
    assert "Tautan tidak berlaku" in open_link(Client(), first).content.decode()


def test_a_forgotten_password_link_does_not_pass_for_the_admins_longer_one(people):
    Client().post(FORGOTTEN, {"nama": "kabag"})
    link = link_in(mail.outbox[0]).replace("/atur/lupa/", "/atur/awal/")
    assert "Tautan tidak berlaku" in open_link(Client(), link).content.decode()


def test_staff_send_no_link_to_an_admin_account_nor_to_whom_the_policy_refuses(people, newcomer):
    clerk = User.objects.create_user("petugas.admin", password="x", is_staff=True, email="petugas@example.go.id")
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = Client()
    client.force_login(clerk)
    chief = User.objects.create_user("kepala.admin", email="kepala@example.go.id", is_staff=True)
    gone = User.objects.create_user("pensiun", email="pensiun@example.go.id", is_active=False)
    silent = User.objects.create_user("tanpa.surel")
    text = send_links(client, people["admin"], chief, gone, silent, newcomer).content.decode()
    assert [m.to for m in mail.outbox] == [["rina@dinkes.example.go.id"]]
    assert "Tidak dikirim ke admin, kepala.admin: akun admin" in text
    assert "Tidak dikirim ke pensiun: akun nonaktif" in text
    assert "Tidak dikirim ke tanpa.surel: tanpa alamat e-mail" in text
    assert not LogEntry.objects.filter(object_id__in=[str(a.pk) for a in (chief, gone, silent)]).exists()


def test_a_link_to_an_account_deactivated_since_it_was_sent_opens_nothing(admin_client, newcomer):
    send_links(admin_client, newcomer)
    newcomer.is_active = False
    newcomer.save()
    assert "Tautan tidak berlaku" in open_link(Client(), link_in(mail.outbox[0])).content.decode()


def test_the_import_sends_links_to_the_new_accounts_with_an_address(admin_client, people):
    rows = [("budi.dinkes", "Budi Santoso", "", "", "", "budi@dinkes.example.go.id", "Dinas Kesehatan", "SKPD"),
            ("ani.dinkes", "Ani Rahma", "", "", "", "", "Dinas Kesehatan", "SKPD")]
    page = preview(admin_client, xlsx(rows))
    text = page.content.decode()
    assert "Tautan atur kata sandi dikirim ke budi@dinkes.example.go.id saat disimpan (berlaku 7 hari)" in text
    assert "tanpa e-mail: tidak menerima tautan" in text and "Tanpa e-mail (1):</strong> ani.dinkes" in text
    done = admin_client.post(IMPORT_URL, {"rencana": page.context["rencana"], "kirim_tautan": "1"}, follow=True)
    assert "Tautan atur kata sandi dikirim ke e-mail 1 pengguna baru (budi.dinkes)" in done.content.decode()
    assert "Pengguna baru tanpa tautan (ani.dinkes)" in done.content.decode()
    [message] = mail.outbox
    assert message.to == ["budi@dinkes.example.go.id"]
    assert set_password(Client(), link_in(message)).status_code == 302
    assert signs_in("budi.dinkes")


def test_the_import_sends_no_link_when_the_admin_leaves_it_for_later(admin_client, people):
    rows = [("budi.dinkes", "Budi Santoso", "", "", "", "budi@dinkes.example.go.id", "Dinas Kesehatan", "SKPD")]
    confirm(admin_client, preview(admin_client, xlsx(rows)))
    assert mail.outbox == [] and not PasswordLink.objects.exists()


def test_a_link_the_mail_server_refused_is_sent_by_the_next_sweep(admin_client, newcomer, monkeypatch):
    real = password_links.send_once

    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server surel mati")

    monkeypatch.setattr(password_links, "send_once", down)
    send_links(admin_client, newcomer)
    assert mail.outbox == [] and PasswordLink.objects.get().emailed_at is None
    monkeypatch.setattr(password_links, "send_once", real)
    assert password_links.mail_unsent_links(timezone.now()) == []  # the worker's turn first
    later = timezone.now() + password_links.UNSENT_AFTER
    assert password_links.mail_unsent_links(later) == ["Tautan atur kata sandi yang tertunda dikirim lewat surel: 1"]
    assert password_links.mail_unsent_links(later) == []
    assert set_password(Client(), link_in(mail.outbox[0])).status_code == 302


def test_someone_locked_out_by_wrong_passwords_sets_a_new_one_and_signs_in(people):
    """Five wrong guesses before remembering "Lupa kata sandi?": the link's new password works at
    once, not after the lockout's quarter of an hour."""
    guessing = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guessing.post("/masuk/", {"username": "kabag", "password": "salah-lagi-salah"})
    assert not signs_in("kabag", "sopiku-demo")  # locked out, even with the right one
    Client().post(FORGOTTEN, {"nama": "kabag"})
    person = Client()
    assert set_password(person, link_in(mail.outbox[0])).status_code == 302
    assert person.get("/").status_code == 200
    assert signs_in("kabag")


def test_the_password_rules_read_in_the_apps_indonesian(admin_client, newcomer):
    """The first page every new officer sees listed the rules in Django's own Indonesian ("Sandi
    anda tidak dapat berupa sandi umum digunakan"): "sandi" beside "kata sandi", "anda" in lower
    case. They read as the rest of the page does; a refused password is told the same way."""
    send_links(admin_client, newcomer)
    client = Client()
    text = open_link(client, link_in(mail.outbox[-1])).content.decode()
    assert "Sandi anda" not in text
    for rule in ("Kata sandi Anda tidak boleh terlalu mirip dengan nama pengguna atau e-mail Anda.",
                 "Kata sandi Anda harus memuat setidaknya 10 karakter.",
                 "Kata sandi Anda tidak boleh kata sandi yang umum dipakai.",
                 "Kata sandi Anda tidak boleh hanya berupa angka."):
        assert rule in text


SEND_BUTTON = "Kirim tautan atur kata sandi"


def test_the_users_own_page_sends_the_link_to_whom_the_policy_allows(admin_client, people, newcomer):
    """The link went only from the list's action: the user's own page, where the admin fills the
    e-mail, now has the button, which asks the same policy and is not shown to whom it refuses."""
    page = admin_client.get(f"{USERS}{newcomer.pk}/change/").content.decode()
    assert SEND_BUTTON in page
    sent = admin_client.post(f"{USERS}{newcomer.pk}/kirim-tautan/", follow=True)
    assert sent.redirect_chain[-1][0] == f"{USERS}{newcomer.pk}/change/"
    assert "Tautan atur kata sandi dikirim ke e-mail 1 pengguna (rina.dinkes)" in sent.content.decode()
    assert [m.to for m in mail.outbox] == [["rina@dinkes.example.go.id"]]
    # Not by a link followed (GET), and not to an account the policy refuses.
    assert admin_client.get(f"{USERS}{newcomer.pk}/kirim-tautan/").status_code == 405
    silent = User.objects.create_user("tanpa.surel")
    assert SEND_BUTTON not in admin_client.get(f"{USERS}{silent.pk}/change/").content.decode()
    refused = admin_client.post(f"{USERS}{silent.pk}/kirim-tautan/", follow=True).content.decode()
    assert "Tidak dikirim ke tanpa.surel: tanpa alamat e-mail" in refused
    clerk = User.objects.create_user("petugas.admin", password="x", is_staff=True, email="petugas@example.go.id")
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = Client()
    client.force_login(clerk)
    chief = User.objects.create_user("kepala.admin", email="kepala@example.go.id", is_staff=True)
    assert SEND_BUTTON not in client.get(f"{USERS}{chief.pk}/change/").content.decode()
    assert client.post(f"{USERS}{chief.pk}/kirim-tautan/").status_code == 403
    assert len(mail.outbox) == 1


def test_a_refused_password_is_told_beside_the_field_it_was_typed_in(admin_client, newcomer):
    """A password too short or too common was refused under "Ulangi kata sandi baru", below the
    first field's rules: on a phone the person read it as about the repeat. It stands by the
    new password; a mismatch stays by the repeat."""
    send_links(admin_client, newcomer)
    client = Client()
    page = open_link(client, link_in(mail.outbox[-1]))
    refused = client.post(page.request["PATH_INFO"], {"new_password1": "pendek", "new_password2": "pendek"})
    form = refused.context["form"]
    assert "Kata sandi terlalu pendek" in " ".join(form.errors["new_password1"])
    assert "new_password2" not in form.errors
    text = refused.content.decode()
    assert text.index("terlalu pendek") < text.index("Ulangi kata sandi baru")
    mismatch = client.post(page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": "lain"})
    assert list(mismatch.context["form"].errors) == ["new_password2"]


@pytest.mark.parametrize("typed", ["", "   ", "x" * 300, "dinkes\x00", "d\u200binkes", "%_\\'\"<b>", "𝐝𝐢𝐧𝐤𝐞𝐬"])
def test_an_odd_name_asked_for_is_answered_in_words_never_a_server_error(people, typed):
    page = Client(raise_request_exception=False).post(FORGOTTEN, {"nama": typed})
    body = page.content.decode()
    assert page.status_code == 200, (typed, page.status_code)
    # Refused beside the field with what was typed kept (empty, too long, a NUL), or the one answer.
    assert 'id="tautan-dikirim"' in body or ('class="errorlist' in body and "Nama pengguna atau e-mail" in body)
    assert not mail.outbox


@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-16", "x-bukan-charset"])
def test_a_form_declaring_an_odd_encoding_is_answered_never_a_server_error(people, charset):
    # generic() sends the bytes as they are; post() would itself try to encode in that charset.
    page = Client(raise_request_exception=False).generic(
        "POST", FORGOTTEN, data=b"nama=dink%E9s", content_type=f"application/x-www-form-urlencoded; charset={charset}")
    assert page.status_code in (200, 400), page.status_code
    assert not mail.outbox


@pytest.mark.parametrize("password", ["", "a" * 5000, "Pontianak\x00Khatulistiwa-77", "\u200b" * 12, "🔑" * 20])
def test_an_odd_new_password_is_refused_in_words_or_taken_never_a_server_error(admin_client, newcomer, password):
    send_links(admin_client, newcomer)
    person = Client(raise_request_exception=False)
    page = open_link(person, link_in(mail.outbox[-1]))
    answer = person.post(page.request["PATH_INFO"], {"new_password1": password, "new_password2": password})
    assert answer.status_code in (200, 302), (password[:20], answer.status_code)
    if answer.status_code == 200:
        body = answer.content.decode()
        assert 'class="errorlist' in body and password not in body or not password


def test_the_password_pages_read_a_fixed_few_queries_however_many_accounts(people, newcomer):
    """Nobody's request on these pages walks the accounts: the name asked for is looked up by its
    indexes, at most three accounts share an address, and each gets its own link."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def asked(name):
        with CaptureQueriesContext(connection) as seen:
            assert Client().post(FORGOTTEN, {"nama": name}).status_code == 200
        return len(seen)

    # The first asks of the hour open its counters, and the first link reads the log's content type.
    asked("kasubag")
    unknown, known = asked("tidak.ada"), asked("kabag")
    User.objects.bulk_create([User(username=f"petugas{i}", email=f"petugas{i}@example.go.id") for i in range(40)])
    assert (asked("tidak.ada.lagi"), asked("kabiro")) == (unknown, known)
    # The address's counter and the name's look-up; then the account's counter, the link, its log
    # line and its mail.
    assert unknown <= 3 and known <= unknown + 11

    person = Client()
    first = person.get(path_of(link_in(mail.outbox[-1])))
    with CaptureQueriesContext(connection) as seen:
        assert person.get(first["Location"]).status_code == 200
    assert len(seen) <= 2
