"""A posted form is judged by the policy first, whatever its state: fresh, stale (made at another
position, or with an old revision) or malformed, a user who may not take the action is refused the
same way and reads nothing of the dossier, least of all another agency's rows or the bureau's notes.

Generated from the permission table (tests/permission_matrix.py) and the URLconf: every route under
dosier/<pk>/ that takes a form, every identity, every position the form could claim to come from.
"""

import pytest
from django.test import Client

from iku.models import IkuRow, IkuSubmission
from tests.permission_matrix import CODES, EXPECTED, USERS, at_state
from tests.workflow.test_urlconf import named_routes
from workflow.actions import TRANSITION_ACTIONS, Action
from workflow.models import Document, Meeting
from workflow.steps import SELESAI, STEP_BY_NUMBER

AGENCY_MARKER = "PENANDA-DINSOS-7Q"
INTERNAL_MARKER = "PENANDA-INTERNAL-4K"
# What each identity must never read: an agency neither another agency's rows nor the bureau's
# internal notes; whoever cannot see the dossier, nothing of it.
FORBIDDEN = {"dinkes": (AGENCY_MARKER, INTERNAL_MARKER), "dishub": (AGENCY_MARKER, INTERNAL_MARKER),
             "anonymous": (AGENCY_MARKER, INTERNAL_MARKER)}
# Forms posted under dosier/<pk>/ besides the actions: the agency's grid and the disposisi, each
# judged as the action it belongs to.
FORM_ROUTES = {
    "iku_draft": Action.AJUKAN_IKU, "iku_upload": Action.AJUKAN_IKU, "iku_copy_last_year": Action.AJUKAN_IKU,
}
REFUSED = (302, 403, 404)


def plant_markers(dossier):
    """Dinas Sosial's rows and note, and the bureau's own documents and minutes, carry a marker."""
    IkuRow.objects.filter(submission__dossier=dossier, submission__skpd__nama_pendek="Dinas Sosial").update(
        indikator=f"Indikator {AGENCY_MARKER}", komentar=f"Komentar {AGENCY_MARKER}")
    IkuSubmission.objects.filter(dossier=dossier, skpd__nama_pendek="Dinas Sosial").update(
        catatan=f"Catatan {AGENCY_MARKER}", draft=[{"indikator": f"Draf {AGENCY_MARKER}"}])
    Document.objects.filter(dossier=dossier).update(keterangan=f"Dokumen {INTERNAL_MARKER}")
    Meeting.objects.filter(dossier=dossier).update(ringkasan=f"Notulen {INTERNAL_MARKER}")


def form_routes():
    """(url template, action) for every route under dosier/<pk>/ that takes a posted form."""
    for name, route in named_routes():
        if name == "dossier_action":
            for action in TRANSITION_ACTIONS:
                yield route.replace("<str:action>", action), action
        elif name in FORM_ROUTES:
            yield route, FORM_ROUTES[name]
    yield "dosier/<int:pk>/disposisi/", "disposisi"


def may_at(state, username, action) -> bool:
    """Whether the permission table lets `username` take `action` at `state` (a disposisi: the
    Kasubag wherever the Staf may upload)."""
    if action == "disposisi":
        return username == "kasubag" and "U" in EXPECTED[state].get("staf", "")
    return action in {CODES[c] for c in EXPECTED[state].get(username, "")}


def claimed_states(state, username, action) -> set:
    """The positions a stale form may claim to come from: the dossier's own (an old revision), the
    first where the user could take the action and the first where they could not."""
    could = [s for s in EXPECTED if s != state and may_at(s, username, action)]
    could_not = [s for s in EXPECTED if s != state and not may_at(s, username, action)]
    return {state, *could[:1], *could_not[:1]}


@pytest.mark.parametrize("state", [STEP_BY_NUMBER[3].state, STEP_BY_NUMBER[6].state,
                                   STEP_BY_NUMBER[7].state, SELESAI])
def test_whoever_may_not_act_is_refused_fresh_stale_or_malformed_and_reads_nothing(people, state):
    dossier = at_state(people, state)
    plant_markers(dossier)
    routes = list(form_routes())
    assert len(routes) >= len(TRANSITION_ACTIONS) + 4
    for username in USERS:
        client = Client(raise_request_exception=False)
        if username != "anonymous":
            client.force_login(people[username])
        for route, action in routes:
            url = "/" + route.replace("<int:pk>", str(dossier.pk))
            allowed_now = may_at(state, username, action)
            posts = [("malformed", {"revision": "x"})]
            if not allowed_now:
                # A fresh form would act; it is tried only where it must be refused.
                posts.append(("fresh", {"revision": dossier.revision, "state": state}))
            posts += [(f"stale from {seen}", {"revision": dossier.revision - 1, "state": seen})
                      for seen in claimed_states(state, username, action)]
            for kind, data in posts:
                response = client.post(url, {**data, "catatan": "x", "alasan": "x"})
                body = response.content.decode(errors="replace")
                for marker in FORBIDDEN.get(username, ()):
                    assert marker not in body, (username, url, kind)
                seen = data.get("state")
                news_allowed = allowed_now or (kind.startswith("stale") and seen != state and may_at(seen, username, action))
                if not news_allowed:
                    assert response.status_code in REFUSED, (username, url, kind, response.status_code)
                else:
                    assert response.status_code < 500, (username, url, kind, response.status_code)
    dossier.refresh_from_db()
    assert dossier.state == state  # nothing posted here acted


def test_the_agency_that_posted_a_stale_table_form_read_the_provincial_table_before(people):
    """The report's own case: Dinas Kesehatan posts the Kasubag's table form with an old state."""
    dossier = at_state(people, STEP_BY_NUMBER[6].state)
    plant_markers(dossier)
    client = Client(raise_request_exception=False)
    client.force_login(people["dinkes"])
    for data in ({"state": STEP_BY_NUMBER[1].state, "revision": dossier.revision},
                 {"state": STEP_BY_NUMBER[5].state, "revision": 0}):
        response = client.post(f"/dosier/{dossier.pk}/aksi/{Action.ATUR_TABEL_IKU}/", data)
        assert response.status_code == 403
        assert AGENCY_MARKER not in response.content.decode()
    response = client.post(f"/dosier/{dossier.pk}/aksi/{Action.SELESAIKAN}/", {"revision": 0})
    assert response.status_code == 403


def test_a_kabag_whose_return_lost_the_race_still_reads_the_news(people, walk):
    """The other side of the rule: who could act where the form was made gets where it went."""
    from workflow import services

    dossier = walk(STEP_BY_NUMBER[7].state)
    seen, state = dossier.revision, dossier.state
    services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=seen)
    client = Client()
    client.force_login(people["kabag"])
    response = client.post(f"/dosier/{dossier.pk}/aksi/{Action.KEMBALIKAN}/",
                           {"revision": seen, "state": state, "catatan": "Mohon diperbaiki"})
    assert response.status_code == 200
    assert "sekarang di Langkah 8" in response.content.decode()
