"""An official records their own Plh./Plt. on a page; others cannot."""

import datetime

from django.utils import timezone

from tests.factories import client_for
from workflow import policy
from workflow.actions import Action
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def test_the_kabag_names_a_plh_who_then_parafs(people, walk):
    # The head of another subbagian: of a rank that fits, and with no hand in this round's draft.
    other = User.objects.create(username="kasubag2", nama="Andi Saputra, S.Kom.", is_active=True)
    UserRole.objects.create(user=other, role=Role.KASUBAG)
    people = people | {"kasubag2": other}
    client = client_for(people, "kabag")
    today = timezone.localdate()
    form = {"role": "kabag", "delegate": other.pk, "kind": "plh",
            "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=2)).isoformat()}
    backwards = client.post("/pelimpahan/", form | {"ends_on": (today - datetime.timedelta(days=1)).isoformat()})
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in backwards.content.decode()
    response = client.post("/pelimpahan/", form | {"dasar": "ST 800/12"}, follow=True)
    assert "Plh. Kabag: Andi Saputra, S.Kom." in response.content.decode()
    assert Delegation.objects.get().created_by == people["kabag"]
    dossier = walk(STEP_BY_NUMBER[7].state)
    assert policy.can(User.objects.get(pk=other.pk), Action.KEMBALIKAN, dossier)
    page = client_for(people, "kasubag2").get("/pelimpahan/").content.decode()
    assert "Plh. Kabag atas nama <strong>Drs. Hendra Gunawan, M.M.</strong>" in page
    # A Kasubag names Plh. of their own post only: the Kabag's is not theirs to hand on.
    assert 'value="kabag"' not in page
    assert client_for(people, "staf").post("/pelimpahan/", form).status_code == 403


def test_an_official_cannot_hand_over_a_role_they_do_not_hold(people):
    today = timezone.localdate().isoformat()
    page = client_for(people, "kabag").post(
        "/pelimpahan/", {"role": "kabiro", "delegate": people["staf"].pk, "kind": "plh", "starts_on": today, "ends_on": today}
    )
    assert 'id="id_role_error"' in page.content.decode()
    assert not Delegation.objects.exists()


def test_agencies_have_no_delegation_page_and_staff_no_form(people):
    for username in ("dinkes", "dishub"):
        assert client_for(people, username).get("/pelimpahan/").status_code == 403
        assert "Pelimpahan" not in client_for(people, username).get("/").content.decode()
    assert "Pelimpahan baru" not in client_for(people, "tim").get("/pelimpahan/").content.decode()
    assert "Pelimpahan baru" in client_for(people, "kabiro").get("/pelimpahan/").content.decode()
