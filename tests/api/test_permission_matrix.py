"""The API's permission matrix, generated as the pages' is: every route of the API's URLconf, every
HTTP method, every user of the `people` fixture and an anonymous caller, through a read-only and a
read-write token, at every position a dossier can stand at (`workflow/steps.py`). What each call
must answer is worked out from the policy (`workflow/policy.py`) by its route's rule below, never
typed in as a table; a route added to the API without a rule fails the first test.

Writes are probed without writing: an action with an If-Match one revision behind (an allowed
action is told the dossier moved, an allowed addition reaches its form), an agency's table with no
rows (an allowed caller reaches the grid's check)."""

import itertools
import json
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import resolve

import api.urls
from api.models import Access
from iku.models import IkuSubmission
from tests.api.helpers import as_token
from tests.permission_matrix import USERS, at_state
from tests.workflow.test_urlconf import named_routes
from workflow import policy
from workflow.actions import ACTIONS, Action
from workflow.models import Document, Dossier
from workflow.steps import ACTIVE_STATES, DIBATALKAN, SELESAI, IkuStage

METHODS = ("get", "post", "put", "patch", "delete", "options")
SAFE = ("get", "options")
STATES = (*ACTIVE_STATES, SELESAI, DIBATALKAN)


@dataclass
class Call:
    """One caller's call at one URL: whom it is for, on which dossier, with the URL's values."""

    user: object
    dossier: Dossier
    values: dict

    @property
    def sees(self) -> bool:
        return policy.can(self.user, Action.LIHAT, self.dossier)

    def refused(self) -> int:
        """A dossier one sees but may not act on is 403; one one does not see is 404 (not there)."""
        return 403 if self.sees else 404


def nothing(response):
    return True


# Each rule: the answer (status, and what the body must show) to the route's own method(s) for a
# signed-in caller whose token may make the call. Anonymous callers and read-only tokens are
# answered before any rule (`expected`).

def me(call):
    return 200, lambda r: r.json()["username"] == call.user.username


def dossier_list(call):
    scope = set(Dossier.objects.filter(policy.dossier_scope(call.user)).values_list("pk", flat=True))
    return 200, lambda r: {d["id"] for d in r.json()["results"]} == scope


def dossier_detail(call):
    if not call.sees:
        return 404, nothing
    history = policy.can_view_history(call.user, call.dossier)
    return 200, lambda r: r.json()["id"] == call.dossier.pk and ("riwayat" in r.json()) == history


def dossier_history(call):
    """The whole history, a page at a time, the latest first: the bureau's, as the dossier's riwayat;
    an agency, which reads none, is refused it (it sees the dossier itself)."""
    if not call.sees:
        return 404, nothing
    if not policy.can_view_history(call.user, call.dossier):
        return 403, lambda r: set(r.json()) == {"detail"} and r.json()["detail"].startswith("Riwayat dosier hanya")
    latest = list(call.dossier.events.order_by("-at", "-pk").values_list("action", flat=True)[:50])
    return 200, lambda r: [e["tindakan"] for e in r.json()["results"]] == latest


def readable_submissions(call, stage):
    submissions = list(IkuSubmission.objects.filter(dossier=call.dossier, stage=stage).select_related("skpd"))
    for submission in submissions:
        submission.dossier = call.dossier
    return [s for s in submissions if policy.can_view_submission(call.user, s)]


def iku_table(call):
    stage = call.values["stage"]
    if stage not in IkuStage.values or not call.sees:
        return 404, nothing
    agencies = {s.skpd.nama_pendek for s in readable_submissions(call, stage) if s.submitted_at and s.rows.exists()}
    return 200, lambda r: {row["skpd"] for row in r.json()["baris"]} == agencies


def iku_versions(call):
    stage, skpd = call.values["stage"], call.values["skpd"]
    readable = [s for s in readable_submissions(call, stage) if s.skpd_id == skpd] if stage in IkuStage.values else []
    return (200, lambda r: r.json()["tahap"] == stage) if readable else (404, nothing)


def documents(call):
    if not call.sees:
        return 404, nothing
    may_open = {d.pk for d in call.dossier.documents.all() if policy.can_view_document(call.user, d)}
    return 200, lambda r: {d["id"] for d in r.json()} == may_open


def document_file(call):
    document = Document.objects.get(pk=call.values["document"])
    if not call.sees:
        return 404, nothing
    if not policy.can_view_document(call.user, document):
        return 403, nothing
    return 200, lambda r: r["Content-Disposition"].startswith("attachment")


def action(call):
    name = call.values["action"]
    if name not in ACTIONS:
        return 404, nothing
    if policy.can(call.user, name, call.dossier):
        # Probed one revision behind: an addition is not made stale by it and reaches its form.
        return (400, nothing) if ACTIONS[name].additive else (412, lambda r: r.json()["revisi"] == call.dossier.revision)
    return call.refused(), nothing


def remind(call):
    if not call.sees:
        return 404, nothing
    return (200, lambda r: "diingatkan" in r.json()) if policy.can_remind_agencies(call.user, call.dossier) else (403, nothing)


def my_iku(call):
    if policy.can(call.user, Action.AJUKAN_IKU, call.dossier):
        return 200, lambda r: r.json()["tahap"] in IkuStage.values
    return call.refused(), nothing


def my_iku_write(call):
    """Posted with no rows: whoever may send reaches the grid's check, which keeps nothing."""
    if policy.can(call.user, Action.AJUKAN_IKU, call.dossier):
        return 400, lambda r: r.json()["kesalahan"][0]["kolom"] == "baris"
    return call.refused(), nothing


def sakip(call):
    if not call.sees:
        return 404, nothing
    return (200, nothing) if call.dossier.state == SELESAI else (400, lambda r: "belum ditutup" in r.json()["detail"])


def verification(call):
    # The public page's answer, the same for whoever asks: here for a file nobody made.
    return 404, lambda r: r.json()["hasil"] == "tidak dikenal"


def report(call):
    return (200, nothing) if policy.can_view_reports(call.user) else (403, nothing)


def public(call):
    return 200, nothing


def page(call):
    """The user's own token page is a page: a program's token signs nobody in to it (it cannot make
    itself another token), whatever the method; it sends to the sign-in page like any page."""
    return 302, lambda r: r["Location"].startswith("/masuk/")


RULES = {
    "api_schema": public,
    "api_docs": public,
    "api_me": me,
    "api_dossiers": dossier_list,
    "api_dossier": dossier_detail,
    "api_dossier_history": dossier_history,
    "api_iku_table": iku_table,
    "api_iku_versions": iku_versions,
    "api_documents": documents,
    "api_document_file": document_file,
    "api_action": action,
    "api_remind": remind,
    "api_my_iku": my_iku,
    "api_my_iku_draft": my_iku_write,
    "api_my_iku_send": my_iku_write,
    "api_sakip": sakip,
    "api_verification": verification,
    "api_report": report,
    "api_tokens": page,
    "api_token_revoke": page,
}
# Open to anyone, signed in or not, whatever the token may do.
PUBLIC = {name for name, rule in RULES.items() if rule is public}
PAGES = {name for name, rule in RULES.items() if rule is page}
QUERIES = {"api_verification": "?sha256=" + "0" * 64, "api_report": "?tahun=2027"}


def api_routes() -> list[tuple[str, str]]:
    """Every named route of the API's URLconf (included at the site's root)."""
    return list(named_routes(api.urls.urlpatterns))


def urls(name, route, dossier, people) -> list[tuple[str, dict]]:
    """Every URL of `route` for `dossier`: each action, each stage (and a word that is none), the
    agency invited and one another agency sent for, with the values each was made from."""
    candidates = {
        "pk": [dossier.pk], "action": [*ACTIONS, "hapus"], "stage": [*IkuStage.values, "lain"],
        "skpd": [people["dinkes"].skpd_id, people["dinsos"].skpd_id],
        # Each of the dossier's documents: whoever may open one, and whoever may not.
        "document": list(dossier.documents.values_list("pk", flat=True)),
    }
    names = re.findall(r"<\w+:(\w+)>", route)
    unknown = set(names) - set(candidates)
    assert not unknown, f"{name}: no values for {unknown}: add them here"
    found = []
    for combo in itertools.product(*(candidates[n] for n in names)):
        values = dict(zip(names, combo))
        url = "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(values[m.group(1)]), route) + QUERIES.get(name, "")
        found.append((url, values))
    return found


def methods_of(url) -> tuple[str, ...]:
    view = resolve(url.split("?")[0]).func
    if not hasattr(view, "view_class"):
        return ()  # a page: `page` answers every method
    allowed = view.view_initkwargs.get("http_method_names", view.view_class.http_method_names)
    return tuple(m for m in METHODS if m in allowed and hasattr(view.view_class, m))


def expected(name, method, implemented, call, akses) -> tuple[int, object]:
    """What `method` at the route `name` answers the caller: the token's scope and signing in are
    asked before the method (DRF's order), then the route's rule."""
    if name in PAGES:
        return page(call)
    if name in PUBLIC:
        return (200, nothing) if method in implemented else (405, nothing)
    if isinstance(call.user, AnonymousUser):
        return 401, nothing
    if akses == Access.READ and method not in SAFE:
        return 403, lambda r: "hanya untuk membaca" in r.json()["detail"]
    if method not in implemented:
        return 405, nothing
    if method == "options":
        # What the route takes, the same for everyone: no dossier is read. Said in the API's words
        # (it named the view's Python class, "Dossier List").
        return 200, lambda r: (set(r.json()["metode"]) >= {m.upper() for m in implemented}
                               and r.json()["detail"].startswith("Alamat ini melayani "))
    return RULES[name](call)


class Caller:
    """A user's token of one kind, or nobody, calling any method with JSON."""

    def __init__(self, people, username, akses):
        self.user = AnonymousUser() if username == "anonymous" else people[username]
        self.akses = akses
        self.headers = {}
        if username != "anonymous":
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {as_token(people, username, akses).token}"
        self.client = Client(raise_request_exception=False)

    def __call__(self, method, url, dossier):
        body = {} if method in ("post", "put", "patch") else None
        tag = f'"{dossier.pk}-{dossier.revision - 1}-{dossier.state}"' if "/aksi/" in url else (
            f'"{dossier.pk}-{dossier.revision}-{dossier.state}"')
        return self.client.generic(method.upper(), url, json.dumps(body) if body is not None else "",
                                   content_type="application/json", HTTP_IF_MATCH=tag, **self.headers)


def callers(people, kinds=(Access.WRITE, Access.READ)):
    """Every user with a token of each of `kinds`, and an anonymous caller."""
    for username in USERS:
        if username == "anonymous":
            yield username, Caller(people, username, None)
        else:
            for akses in kinds:
                yield f"{username} ({akses})", Caller(people, username, akses)


def assert_answers(people, dossier, methods_for, kinds=(Access.WRITE, Access.READ)):
    """Every caller (tokens of `kinds`) at every URL of every API route, for the methods
    `methods_for(name, implemented)` gives: the status the rule expects and what it says the body
    shows. The dossier never moves."""
    revision = dossier.revision
    for label, caller in callers(people, kinds):
        for name, route in api_routes():
            for url, values in urls(name, route, dossier, people):
                implemented = methods_of(url)
                for method in methods_for(name, implemented):
                    dossier.refresh_from_db()
                    call = Call(caller.user, dossier, values)
                    status, shows = expected(name, method, implemented, call, caller.akses)
                    response = caller(method, url, dossier)
                    where = (dossier.state, label, method.upper(), url)
                    assert response.status_code == status, (*where, response.status_code, response.content[:300])
                    assert shows(response), (*where, response.content[:500])
    dossier.refresh_from_db()
    assert dossier.revision == revision


def test_every_api_route_has_a_rule():
    routes = {name for name, _ in api_routes()}
    assert routes == set(RULES), {"without a rule": routes - set(RULES), "rule without a route": set(RULES) - routes}


@pytest.mark.parametrize("state", STATES)
def test_each_caller_gets_what_the_policy_allows_at_each_position(people, settings, state):
    settings.SOP_API_REQUESTS = 1_000_000
    dossier = at_state(people, state)
    assert dossier.state == state
    # The route's own methods through a read-write token (and nobody's); a read-only token reads as
    # it does and is refused every write before anything is read, whatever the position: the next
    # test holds it to that. The public routes read no dossier: the next test calls them once.
    assert_answers(people, dossier, lambda name, implemented: [
        m for m in implemented if m != "options" and name not in PUBLIC], kinds=(Access.WRITE,))


def test_a_read_only_token_reads_as_a_read_write_one_and_is_refused_every_write(people, settings):
    settings.SOP_API_REQUESTS = 1_000_000
    for state in (STATES[0], STATES[6]):
        dossier = at_state(people, state)
        assert_answers(people, dossier, lambda name, implemented: [
            m for m in implemented if m != "options" and name not in PUBLIC], kinds=(Access.READ,))


def test_every_other_method_is_refused_before_anything_is_read_and_the_schema_is_public(people, settings):
    settings.SOP_API_REQUESTS = 1_000_000
    dossier = at_state(people, STATES[4])
    assert_answers(people, dossier, lambda name, implemented: [
        m for m in METHODS if m not in implemented or m == "options" or name in PUBLIC])
