"""Every page of the URLconf, for every user, with good and bad input: never a server error, and
nothing outside the admin opens for an anonymous visitor."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permission_matrix import USERS
from workflow.actions import TRANSITION_ACTIONS
from workflow.forms.sent_once import FIELD as SENT_ONCE
from workflow.steps import STEP_BY_NUMBER

# The pages for signing in and setting a password from a mailed link are for those not signed in.
PUBLIC = {"login", "password_forgotten", "password_set", "health", "ready", "favicon", "api_schema", "api_docs"}
# A program without a session or token is told 401 by the API, not sent to the login page.
API = "api/v1/"


def named_routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from named_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, prefix + str(entry.pattern)


def urls_for(route: str, dossier_pk: int, document_pk: int) -> list[str]:
    values = {"<int:pk>": [dossier_pk if "dokumen" not in route else document_pk, 999999]}
    urls = ["/" + route]
    for placeholder, options in values.items():
        urls = [u.replace(placeholder, str(o)) for u in urls for o in options]
    if "<str:action>" in route:
        urls = [u.replace("<str:action>", a) for u in urls for a in (*TRANSITION_ACTIONS, "hapus")]
    return urls


BAD_QUERIES = ["", "?tahun=abc&state=bukan&skpd=x&urut=acak&hal=-1&q=%00", "?isi=tidak-ada&tahun=99999"]


def test_the_routes_cover_every_page():
    names = {name for name, _ in named_routes()}
    assert {"home", "archive", "dashboard", "dossier", "dossier_action", "document", "report", "report_csv",
            "delegations", "dossier_new", "login", "logout"} <= names


@pytest.mark.parametrize("username", USERS)
def test_no_page_fails_for_anyone(people, walk, username):
    dossier = walk(STEP_BY_NUMBER[3].state)
    document = dossier.documents.first()
    client = Client(raise_request_exception=False)
    if username != "anonymous":
        client.force_login(people[username])
    for name, route in named_routes():
        for url in urls_for(route, dossier.pk, document.pk):
            for query in BAD_QUERIES:
                response = client.get(url + query)
                assert response.status_code < 500, (username, url + query, response.status_code)
                if username == "anonymous" and name not in PUBLIC and name != "logout":
                    allowed = (401, 404) if route.startswith(API) else (302, 404, 405)
                    assert response.status_code in allowed, (url, response.status_code)
                    if response.status_code == 302:
                        assert response["Location"].startswith("/masuk/")
            if "aksi" in url or "disposisi" in url or url == "/dosier/baru/":
                # A one-time key past its length (workflow.forms.sent_once), as a forged form would send.
                response = client.post(url, {"revision": "x", "catatan": "a" * 5000, SENT_ONCE: "k" * 5000})
                assert response.status_code < 500, (username, url, "POST")
