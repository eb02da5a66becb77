"""The Kabiro leaves (the admin deactivates his account) while a Nota waits for his signature: a Plh.
he had named hands on nothing (a Plh. stands in for an official who is away), and the Kabag whose
open tab still offers the signature reads why; the admin records a Plt. for the vacant post, which
his departure does not void, and the Plt. signs."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import client_for
from workflow import demo, policy, services
from workflow.actions import Action
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role
from workflow.steps import SELESAI, STEP_BY_NUMBER


@pytest.fixture
def kabag2(people):
    """Another Kabag (the one who initialled the Nota may not sign it too: separation of duties)."""
    user = User.objects.create_user("kabag2", password=demo.DEMO_PASSWORD, nama="Ir. Sri Wahyuni",
                                    jabatan="Kepala Bagian Bina Mental Spiritual")
    UserRole.objects.create(user=user, role=Role.KABAG)
    return user


def leaves(user):
    user.is_active = False
    user.save()


def record(people, delegate, kind):
    today = timezone.localdate()
    return Delegation.objects.create(official=people["kabiro"], delegate=delegate, role="kabiro", kind=kind,
                                     starts_on=today, ends_on=today + dt.timedelta(days=30))


def test_a_plh_lapses_with_the_kabiro_and_his_open_tab_says_why(people, walk, kabag2):
    dossier = walk(STEP_BY_NUMBER[8].state)
    plh = record(people, kabag2, "plh")
    kabag = client_for(people, "kabag")
    kabag.force_login(kabag2)
    assert policy.can(kabag2, Action.SELESAIKAN, dossier)
    leaves(people["kabiro"])
    plh.refresh_from_db()

    assert plh.void == f"tidak berlaku: {people['kabiro']} nonaktif (untuk jabatan yang kosong, catat Plt.)"
    answer = kabag.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision, "state": dossier.state})
    text = re.sub(r"\s+", " ", answer.content.decode())
    # The form comes back, closed, with why: not a refusal page.
    assert answer.status_code == 200 and "tombolnya dimatikan" in text
    assert f"Pelimpahan Plh. Kabiro dari {people['kabiro']} kepada Anda tidak berlaku" in text
    assert "sudah berpindah" not in text
    with pytest.raises(ValidationError) as refused:
        Delegation(official=people["kabiro"], delegate=kabag2, role="kabiro", kind="plh",
                   starts_on=timezone.localdate(), ends_on=timezone.localdate()).full_clean()
    assert "jabatannya kosong, jadi pelaksananya Plt." in str(refused.value)


def test_the_admin_records_a_plt_for_the_vacant_post_and_the_plt_signs(people, walk, kabag2):
    dossier = walk(STEP_BY_NUMBER[8].state)
    leaves(people["kabiro"])
    admin = client_for(people, "admin")
    form = admin.get("/admin/workflow/delegation/add/").content.decode()
    assert f"{people['kabiro']} (nonaktif)" in form  # the post's last holder, to fill it for
    today = timezone.localdate()
    saved = admin.post("/admin/workflow/delegation/add/", {
        "official": people["kabiro"].pk, "delegate": kabag2.pk, "role": "kabiro", "kind": "plt",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=30)).isoformat(), "dasar": "800/12/BKD",
    })
    assert saved.status_code == 302, saved.content.decode()[:3000]
    plt = Delegation.objects.get()
    assert plt.void == ""
    kabag = kabag2
    assert policy.can(kabag, Action.SELESAIKAN, dossier)
    event = services.perform(dossier, kabag, Action.SELESAIKAN, revision=dossier.revision)
    assert event.delegation_kind == "plt" and event.on_behalf_of == people["kabiro"]
    assert event.actor_label.startswith(f"Plt. Kabiro {kabag.nama}")


def test_the_dossier_page_says_when_its_step_waits_on_nobody_until_a_plt_is_recorded(people, walk, kabag2):
    dossier = walk(STEP_BY_NUMBER[8].state)
    url = f"/dosier/{dossier.pk}/"
    said = "Langkah ini menunggu Kabiro, tetapi tidak ada pengguna aktif yang memegang peran itu atau menjadi Plh./Plt.-nya."

    def page(username):
        return re.sub(r"\s+", " ", client_for(people, username).get(url).content.decode())

    assert said not in page("kasubag")
    leaves(people["kabiro"])
    assert said in page("kasubag") and said in page("kabag")
    assert said not in page("dinkes")  # the bureau's to mend
    record(people, kabag2, "plt")
    assert said not in page("kasubag")


def test_a_reader_who_can_move_the_step_on_is_not_asked_whether_anyone_can(people, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    at_8 = walk(STEP_BY_NUMBER[8].state)
    closed = walk(SELESAI, judul="Putaran selesai")
    for dossier, username, asked in ((at_8, "kabiro", 0), (at_8, "kasubag", 1), (closed, "kasubag", 0)):
        url = f"/dosier/{dossier.pk}/"
        client = client_for(people, username)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        vacancy = [q["sql"] for q in queries.captured_queries if "UNION" in q["sql"] and "workflow_delegation" in q["sql"]]
        assert len(vacancy) == asked, (dossier.state, username, vacancy)
