"""In Chromium on a 375 px phone: the page a mailed link opens, as a new officer meets it on their
phone: it fits the screen, a refused password is said and not written back, and the right one signs
them in."""

import pytest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.browser import PHONE, assert_fits_phone, screenshot
from workflow.models import PasswordLink, Skpd, User, UserRole
from workflow.password_links import TOKENS
from workflow.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_new_officer_sets_a_password_on_a_phone(browser, live_server, server_errors, people):
    from playwright.sync_api import expect

    account = User.objects.create_user("rina.dinkes", email="rina@dinkes.example.go.id", nama="Rina Lestari",
                                       skpd=Skpd.objects.get(nama_pendek="Dinas Kesehatan"))
    UserRole.objects.create(user=account, role=Role.SKPD)
    kind = PasswordLink.Kind.ADMIN
    link = reverse("password_set", args=[kind, urlsafe_base64_encode(force_bytes(account.pk)),
                                         TOKENS[kind].make_token(account)])
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and server_errors.append(f"{r.status} {r.request.method} {r.url}"))
    try:
        page.goto(link)
        expect(page.get_by_role("heading", name="Atur kata sandi")).to_be_visible()
        assert "/set-password/" in page.url  # the token left the address bar
        assert_fits_phone(page, "the set-password page")
        page.get_by_label("Kata sandi baru", exact=True).fill("rina12345")
        page.get_by_label("Ulangi kata sandi baru").fill("rina12345")
        page.get_by_role("button", name="Simpan kata sandi").click()
        expect(page.locator(".errorlist").first).to_contain_text("terlalu pendek")
        expect(page.get_by_label("Kata sandi baru", exact=True)).to_have_value("")
        assert_fits_phone(page, "the set-password page with its refusal")
        screenshot(page, "atur-kata-sandi-ponsel.png")
        page.get_by_label("Kata sandi baru", exact=True).fill("Pontianak-Khatulistiwa-77")
        page.get_by_label("Ulangi kata sandi baru").fill("Pontianak-Khatulistiwa-77")
        page.get_by_role("button", name="Simpan kata sandi").click()
        expect(page.locator("#pesan")).to_contain_text("Anda sudah masuk")
        assert page.url.rstrip("/") == live_server.url
    finally:
        context.close()
