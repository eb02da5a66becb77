"""A step only a vacant role can move on (the Kabiro's account switched off and no Plt. recorded)
waits on nobody: no inbox lists it for anyone who could act, and no reminder reaches anyone. The
bureau's officials read it on their dashboard, with what to do, until the post is filled."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import client_for
from workflow import demo
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

HEADING = "Menunggu peran yang tidak dipegang siapa pun"


def page(people, username, url="/dasbor/"):
    answer = client_for(people, username).get(url)
    assert answer.status_code == 200
    return re.sub(r"\s+", " ", answer.content.decode())


def leaves(user):
    user.is_active = False
    user.save()


@pytest.mark.parametrize("number", [4, 8])
def test_a_step_only_the_departed_kabiro_could_finish_is_on_the_officials_dashboard(people, walk, number):
    """At step 8 the Kabiro alone acts; at step 4 the Kasubag may still prepare the letter, but only
    the Kabiro signs it and finishes the step."""
    dossier = walk(STEP_BY_NUMBER[number].state, judul="Penetapan IKU 2027")
    assert HEADING not in page(people, "kasubag")
    leaves(people["kabiro"])

    for username in ("kasubag", "kabag"):
        text = page(people, username)
        assert HEADING in text
        listed = text[text.index(HEADING):]
        assert f'<a href="/dosier/{dossier.pk}/">Penetapan IKU 2027</a>' in listed
        assert "Kabiro (tidak ada pemegang aktif)" in listed
        assert "mencatat Plt. (Admin › Pelimpahan wewenang)" in listed
    assert ("Langkah ini menunggu Kabiro, tetapi tidak ada pengguna aktif yang memegang peran itu"
            in page(people, "kasubag", f"/dosier/{dossier.pk}/"))

    acting = User.objects.create_user("kabag2", password=demo.DEMO_PASSWORD, nama="Ir. Sri Wahyuni")
    UserRole.objects.create(user=acting, role=Role.KABAG)
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabiro"], delegate=acting, role="kabiro", kind="plt",
                              starts_on=today, ends_on=today + dt.timedelta(days=30))
    assert HEADING not in page(people, "kasubag")


def test_a_step_the_staf_could_still_prepare_is_not_stuck_while_its_kasubag_is_there(people, walk):
    walk(STEP_BY_NUMBER[1].state)
    leaves(people["staf"])
    assert HEADING not in page(people, "kabag")
