"""The grid says whose rows it starts from: a draft or a send by a colleague of the agency (or by
the officer who held the post before a handover) is named as theirs, with its moment, never as
"your draft" to the officer who opens it next."""

import re

from tests.factories import client_for
from tests.iku.test_grid import REAL_ROWS, grid, send_url
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def colleague(people):
    """A second officer of Dinas Kesehatan (the successor of `dinkes`, or one beside her)."""
    user = User.objects.create_user("dinkes2", nama="Rina Marlina, S.KM.", skpd=people["dinkes"].skpd)
    UserRole.objects.create(user=user, role=Role.SKPD)
    people["dinkes2"] = user
    return client_for(people, "dinkes2")


def said(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_a_draft_saved_by_a_colleague_is_named_as_theirs(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    saved = client_for(people, "dinkes").post(f"/dosier/{dossier.pk}/iku/draf/", grid(REAL_ROWS, dossier))
    assert saved.status_code in (200, 302)

    other = said(colleague(people).get(send_url(dossier)))
    assert "Jumlah kasus kematian bayi" in other
    assert "Dimulai dari draf Anda" not in other
    assert f"Dimulai dari draf yang disimpan {people['dinkes'].display_name} (" in other

    own = said(client_for(people, "dinkes").get(send_url(dossier)))
    assert "Dimulai dari draf Anda (" in own


def test_a_table_sent_by_a_colleague_is_named_as_theirs(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    sent = client_for(people, "dinkes").post(send_url(dossier), grid(REAL_ROWS, dossier))
    assert sent.status_code == 302

    other = said(colleague(people).get(send_url(dossier)))
    assert "sudah Anda kirim" not in other
    assert f"Dimulai dari IKU yang dikirim {people['dinkes'].display_name} (" in other
