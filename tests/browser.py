"""Chromium driven by Playwright against the live server, for the browser tests: the fixtures that
start it and sign a user in (registered for every test in tests/conftest.py), and what the tests
check a page with (fits a 375 px phone, screenshots into test-artifacts/). Without
/usr/bin/chromium the tests skip, unless SOP_REQUIRE_BROWSER is set (CI), where they fail."""

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections

from workflow.models import User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
PASSWORD = "sopiku-demo"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def _unavailable(reason: str):
    if os.environ.get("SOP_REQUIRE_BROWSER"):
        pytest.fail(f"SOP_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


class _TakingTurns:
    """The live server's application answering one request at a time, each read whole before the
    next begins (a file is streamed from the database store)."""

    def __init__(self, app):
        self.app, self.turn = app, threading.Lock()

    def __call__(self, environ, start_response):
        with self.turn:
            answer = self.app(environ, start_response)
            try:
                return [b"".join(answer)]
            finally:
                if hasattr(answer, "close"):
                    answer.close()


def _taking_turns(live_server):
    """On the tests' in-memory SQLite the live server's threads share the test's one connection
    (so that they see its rows), and two requests at once interleave their statements on it: two
    page images stored together met "cannot open savepoint - SQL statements in progress". A server
    has a connection per thread, as the tests on PostgreSQL do, where requests overlap as they may."""
    httpd = live_server.thread.httpd
    if live_server.thread.connections_override and not isinstance(httpd.get_app(), _TakingTurns):
        httpd.set_app(_TakingTurns(httpd.get_app()))


@pytest.fixture
def browser(live_server, transactional_db):
    """Chromium for one test. Started after the test database is set up and closed before it is
    flushed: while Playwright's loop runs, Django's connection handler (an asgiref Local, keyed by
    context) hands out another connection object than the one pytest-django prepared, which lacks
    the serialized contents that serialized_rollback restores, so the next test would find the SKPD
    table empty."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    _taking_turns(live_server)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django refuses ORM calls
    # from a thread with a running loop (SynchronousOnlyOperation): the fixtures and the flush after
    # each transactional test need the ORM while the browser is up. The live server runs in its own
    # thread and is unaffected.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield launched
            finally:
                launched.close()
                # The connection opened inside Playwright's context is not the one pytest-django
                # closes; left open, PostgreSQL refuses to drop the test database at the end.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def server_errors():
    """Every 5xx answer any page got; checked at the end of each test."""
    found = []
    yield found
    assert not found, f"the live server answered with errors: {found}"


@pytest.fixture
def sign_in(browser, live_server, server_errors):
    """sign_in(username): a context manager giving the page signed in as `username` through the
    login form; on leaving, the user signs out with the "Keluar" button and the page is back at the
    login form for the next user. One browser context serves all turns: signing out must be enough
    to hand the browser to someone else."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and server_errors.append(f"{r.status} {r.request.method} {r.url}"))

    @contextmanager
    def session(username, viewport=DESKTOP):
        page.set_viewport_size(viewport)
        if not re.search(r"/masuk/$", page.url):
            page.goto("/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        logout = page.get_by_role("button", name=re.compile(r"^Keluar"))
        open_menu(page)
        expect(logout).to_contain_text(User.objects.get(username=username).display_name)
        # Handed over once the page's deferred scripts listen (the phone menu's Escape among them): the
        # sign-in's click returns as the page begins to arrive.
        page.wait_for_load_state("load")
        yield page
        open_menu(page)
        logout.click()
        expect(page).to_have_url(re.compile(r"/masuk/$"))
        expect(page.get_by_role("button", name=re.compile(r"^Keluar"))).to_have_count(0)

    yield session
    context.close()


@contextmanager
def signed_in_without_scripts(browser, live_server, username):
    """A page signed in as `username` through the login form in a context with JavaScript off: what a
    page offers when its scripts do not run."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        yield page
    finally:
        context.close()


def open_menu(page):
    """On a phone the nav, "Keluar" with it, sits behind the header's "Menu": opened as a finger does.
    Wider screens show no Menu and the nav as it is. Told by the width the stylesheet's breakpoint
    (40rem) reads, not by the Menu in sight: a page not yet styled shows it at any width."""
    if page.viewport_size["width"] > 640:
        return
    menu = page.locator("header details.menu")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()


def all_images_drawn(page):
    """Every image of the page asked for and drawn (or failed): a document's page images are drawn,
    and stored, when first asked for, and a phone asks for those below the fold only when scrolled to
    them (as a full-page screenshot or a button further down does). The tests' in-memory SQLite lets
    one request at a time write, so a form is sent, and a page measured, once they are all there.
    Waited for by the images' own events: nothing else on these pages loads after `load` (a network
    idle wait would add half a second to every page)."""
    page.wait_for_load_state("load")
    page.evaluate("""Promise.all([...document.images].map(image => {
        image.loading = "eager";
        return image.complete ? null : new Promise(done => {
            image.addEventListener("load", done, {once: true});
            image.addEventListener("error", done, {once: true});
        });
    }))""")


def no_horizontal_scroll(page) -> tuple[int, int]:
    # Measured once the page has its stylesheet: laid out before it (a refused form's page read at
    # once), a document's page images take their 893-pixel width attribute, not the CSS's 100%.
    page.wait_for_load_state("load")
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def widest_elements(page, limit=8):
    """The elements reaching furthest past the right edge, to name the CSS cause of an overflow."""
    return page.evaluate(
        """(limit) => [...document.querySelectorAll('body *')]
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.right > document.documentElement.clientWidth + 1)
            .sort((a, b) => b[1].right - a[1].right).slice(0, limit)
            .map(([e, r]) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
                 + `${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''}`
                 + ` right=${Math.round(r.right)} width=${Math.round(r.width)}`)""",
        limit,
    )


def assert_fits_phone(page, what):
    width, viewport = no_horizontal_scroll(page)
    assert width <= PHONE["width"] + 1, (
        f"{what} scrolls sideways at {viewport} px: scrollWidth {width}; widest: {widest_elements(page)}"
    )


def screenshot(page, name) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.exists() and path.stat().st_size > 0, path
    return path


def printed(page, url=None, sizes=None) -> list[str]:
    """The page (or `url`) printed as Ctrl+P prints it on A4: print media, the page's own @page size
    and no background graphics (the print dialog's default); the text of each printed sheet, and
    each sheet's (width, height) in points added to `sizes` if given."""
    import io

    from pypdf import PdfReader

    if url:
        page.goto(url)
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    try:
        content = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.emulate_media(media="screen")
    sheets = PdfReader(io.BytesIO(content)).pages
    if sizes is not None:
        sizes.extend((float(sheet.mediabox.width), float(sheet.mediabox.height)) for sheet in sheets)
    return [sheet.extract_text() for sheet in sheets]
