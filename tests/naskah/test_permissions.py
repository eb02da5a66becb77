"""The document pages for every demo user in every state: the form opens exactly where the user may
upload and the step produces that kind, the cetak exactly for the bureau; visible but not allowed is
403, not visible 404. The dossier page offers the same links."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser

from naskah.generators import GENERATORS, PRINTABLE
from tests.factories import client_for
from tests.permission_matrix import CODES, EXPECTED, MINUTES_TAKEN, USERS, at_state, minutes_taken_by
from workflow import policy
from workflow.actions import Action
from workflow.steps import DI_GUBERNUR, SELESAI, STEP_BY_NUMBER, STEPS, step_for

BUREAU = {"kasubag", "staf", "kabag", "kabiro", "tim"}
# States in which step 6 has been reached, so its row on the dossier page carries the cetak links.
PAST_STEP_6 = {s.state for s in STEPS if s.number >= 6} | {DI_GUBERNUR, SELESAI}


@pytest.mark.parametrize("state", list(EXPECTED))
def test_document_pages_open_exactly_for_the_allowed(people, state):
    dossier = at_state(people, state)
    step = step_for(state)
    # Rendering is not what this test is about; the PDF contents are tested in test_documents_cetak.
    with mock.patch("naskah.prints.reprint", return_value=(b"%PDF-1.4\n", "x.pdf", None)):
        for username in USERS:
            client = client_for(people, username)
            codes = {CODES[c] for c in EXPECTED[state].get(username, "")}
            visible = Action.LIHAT in codes
            for kind in GENERATORS:
                url = f"/dosier/{dossier.pk}/buat/{kind}/"
                allowed = Action.UNGGAH in codes and step is not None and kind in step.produces
                status = client.get(url).status_code
                if username == "anonymous":
                    assert status == 302, url
                else:
                    assert status == (200 if allowed else 403 if visible else 404), (username, kind, status)
            for kind in PRINTABLE:
                url = f"/dosier/{dossier.pk}/cetak/{kind}/"
                status = client.get(url).status_code
                if username == "anonymous":
                    assert status == 302, url
                else:
                    allowed = visible and username in BUREAU
                    assert status == (200 if allowed else 403 if visible else 404), (username, kind, status)
            if visible:
                page = client.get(f"/dosier/{dossier.pk}/").content.decode()
                for kind in GENERATORS:
                    offered = Action.UNGGAH in codes and step is not None and kind in step.produces
                    assert (f"/dosier/{dossier.pk}/buat/{kind}/" in page) == offered, (username, kind)
                printable = username in BUREAU and state in PAST_STEP_6
                assert (f"/dosier/{dossier.pk}/cetak/" in page) == printable, username


def test_the_step_6_form_is_the_kasubags_and_the_staffs(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    page = client_for(people, "staf").get(f"/dosier/{dossier.pk}/buat/nota_dinas/").content.decode()
    assert "Buat Nota Dinas" in page and "Penandatangan" in page and "Dr. H. Syarif Abdullah, M.Si." in page


@pytest.mark.parametrize("pencatat", list(MINUTES_TAKEN))
def test_the_pencatat_the_minutes_name_may_make_them_again_where_the_step_is(people, pencatat):
    """A Tim member, the Kabag or the Kabiro named Pencatat found the minutes they took at step 2 and
    no way to correct them: only those who upload there could. The form opens for them, the dossier
    page offers it, and for nobody else beside those who upload; nobody gains an action of the table's
    (the Pencatat no upload, no finishing)."""
    dossier = minutes_taken_by(people, pencatat)
    step = step_for(dossier.state)
    for username in USERS:
        client = client_for(people, username)
        codes = {CODES[c] for c in EXPECTED[dossier.state].get(username, "")}
        user = AnonymousUser() if username == "anonymous" else people[username]
        assert set(policy.allowed_actions(user, dossier)) == codes, username
        makes = set(step.produces) if Action.UNGGAH in codes else MINUTES_TAKEN[pencatat] if username == pencatat else set()
        page = client.get(f"/dosier/{dossier.pk}/").content.decode() if Action.LIHAT in codes else ""
        for kind in GENERATORS:
            url = f"/dosier/{dossier.pk}/buat/{kind}/"
            status = client.get(url).status_code
            expected = 302 if username == "anonymous" else 200 if kind in makes else 403 if Action.LIHAT in codes else 404
            assert status == expected, (username, kind, status)
            assert (url in page) == (kind in makes), (username, kind)
