"""In Chromium, one office computer, two officers: a page reached again by the browser's Back comes
anew from the server for whoever is signed in now, and the browser used to fill its forms with what
the last officer typed there, to be sent under the next one's name. Back gives an officer their own
typing again, never another's: neither a note typed into a form (the browser's own filling) nor an
IKU table kept for Back (static/js/iku_grid.js)."""

import re

import pytest

from tests.browser import DESKTOP, PASSWORD
from tests.iku.test_grid_back_browser import NOTE, ROWS, send_unanswered
from tests.iku.test_grid_browser import paste
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RETURN_NOTE = "Catatan Kabag yang belum dikirim:\nformula indikator 3 belum terukur."


@pytest.fixture
def computer(browser, live_server):
    """One browser with two tabs, as on a shared office computer."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    # The app fills in (or sets back) a page's forms on `pageshow`; every listener of one event runs
    # before anything else, so a page whose own listener has run has had the app's run too.
    context.add_init_script("addEventListener('pageshow', () => { window.pageShown = true; })")
    yield context.new_page(), context.new_page()
    context.close()


def shown(page) -> None:
    """`page` once the browser and the app have filled its forms in: what it shows now stays."""
    page.wait_for_function("window.pageShown === true")


def sign_in_at(page, username):
    from playwright.sync_api import expect

    page.goto("/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("button", name=re.compile(r"^Keluar"))).to_contain_text(
        User.objects.get(username=username).display_name)


def hand_over(page, username):
    """Whoever is signed in signs out in this tab, and `username` signs in."""
    page.goto("/")
    page.get_by_role("button", name=re.compile(r"^Keluar")).click()
    sign_in_at(page, username)


def colleague(people, username, role, **fields):
    user = User.objects.create_user(username, password=PASSWORD, nama=f"Pegawai {username}", **fields)
    UserRole.objects.create(user=user, role=role)
    return user


def table_being_typed(walk, people, page):
    """A round at step 3 with no table yet and a second officer of Dinas Kesehatan; the first signed
    in on `page`, the IKU grid pasted full."""
    from iku.models import IkuSubmission

    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    colleague(people, "dinkes2", Role.SKPD, skpd=people["dinkes"].skpd)
    sign_in_at(page, "dinkes")
    page.goto(f"/dosier/{dossier.pk}/aksi/ajukan_iku/")
    paste(page, "[name='r-1-sasaran_strategis']", ROWS)
    return dossier


def grid_as_the_server_drew_it(page):
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Isi dan kirim IKU")
    expect(page.locator("[name='r-1-indikator']")).to_have_value("")
    expect(page.locator("[name='r-30-indikator']")).to_have_count(0)


def test_a_note_left_unsent_is_back_for_its_writer_and_not_for_the_next_officer(walk, people, computer):
    from playwright.sync_api import expect

    dossier = walk(STEP_BY_NUMBER[7].state)
    colleague(people, "kabag2", Role.KABAG)
    typing, other = computer
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    sign_in_at(typing, "kabag")
    typing.goto(url)
    typing.locator("#id_catatan").fill(RETURN_NOTE)
    typing.goto("/")  # called away before sending
    typing.go_back()
    expect(typing.get_by_role("heading", level=1)).to_have_text("Kembalikan ke Kasubag")
    expect(typing.locator("#id_catatan")).to_have_value(RETURN_NOTE)
    typing.goto("/")
    hand_over(other, "kabag2")
    typing.go_back()
    shown(typing)
    expect(typing.get_by_role("button", name=re.compile(r"^Keluar"))).to_contain_text("Pegawai kabag2")
    expect(typing.get_by_role("heading", level=1)).to_have_text("Kembalikan ke Kasubag")
    expect(typing.locator("#id_catatan")).to_have_value("")


def test_an_iku_table_sent_unanswered_is_not_given_to_the_next_officer_of_the_agency(walk, people, computer,
                                                                                       server_errors):
    from playwright.sync_api import expect

    typing, other = computer
    table_being_typed(walk, people, typing)
    typing.locator("#id_catatan").fill(NOTE)
    send_unanswered(typing)
    # The first officer leaves the proxy's page open; the second signs in in another tab.
    hand_over(other, "dinkes2")
    typing.go_back()
    shown(typing)
    expect(typing.get_by_role("button", name=re.compile(r"^Keluar"))).to_contain_text("Pegawai dinkes2")
    grid_as_the_server_drew_it(typing)
    expect(typing.locator("#id_catatan")).to_have_value("")


def test_an_iku_table_left_when_the_session_ended_is_not_given_to_the_officer_who_signs_in_next(walk, people,
                                                                                                computer):
    from django.conf import settings
    from playwright.sync_api import expect

    typing, _ = computer
    table_being_typed(walk, people, typing)
    typing.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    typing.get_by_role("button", name="Isi dan kirim IKU", exact=True).click()
    expect(typing.get_by_role("heading", level=1)).to_have_text("Sesi Anda telah berakhir")
    typing.go_back()  # to the sign-in page, where the next officer signs in
    typing.locator("#id_username").fill("dinkes2")
    typing.locator("#id_password").fill(PASSWORD)
    typing.get_by_role("button", name="Masuk", exact=True).click()
    expect(typing.get_by_role("heading", level=1)).to_have_text("Isi dan kirim IKU")
    shown(typing)
    grid_as_the_server_drew_it(typing)
