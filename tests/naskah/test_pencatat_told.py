"""The person the Notulen names as Pencatat is told that the minutes wait for their signature once the
chair signed them by finishing step 2, and their inbox says so: before, only a button on the dossier
page offered it, and a Tim member named Pencatat heard only of the workshop's uploads (a Kabag named
Pencatat heard nothing at all)."""

import re

import pytest

from naskah import record
from notices.handoff import deliver
from notices.models import Notice
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.demo import DEMO_PASSWORD
from workflow.steps import STEP_BY_NUMBER, DocKind


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def chaired_with(people, walk, pencatat):
    dossier = walk(STEP_BY_NUMBER[2].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTULEN_PERSIAPAN,
             pimpinan=people["kasubag"].pk, pencatat=people[pencatat].pk)
    event = demo.finish(dossier, people["kasubag"])
    return dossier, event


@pytest.mark.parametrize("pencatat", ["tim", "kabag"])
def test_the_pencatat_is_told_and_finds_the_signature_in_the_inbox(people, walk, pencatat):
    dossier, event = chaired_with(people, walk, pencatat)
    made = record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)
    task = f"Tandatangani Notulen rapat persiapan {made.nomor} sebagai Pencatat"
    deliver(event.pk)
    (notice,) = Notice.objects.filter(recipient=people[pencatat], event=event)
    assert task in notice.judul and task in notice.isi
    client = client_for(people, pencatat)
    if pencatat == "tim":
        # The workshop waits on the Tim too: its inbox row names both.
        assert task in text_of(client.get("/"))
    # The notice opens the dossier page, where the signing link is.
    assert f"/dosier/{dossier.pk}/tandatangani/{made.document.pk}/" in text_of(client.get(f"/dosier/{dossier.pk}/"))
    # Signed, the task is gone; nobody else was ever asked.
    people[pencatat].set_password(DEMO_PASSWORD)
    people[pencatat].save()
    client = client_for(people, pencatat)
    done = client.post(f"/dosier/{dossier.pk}/tandatangani/{made.document.pk}/", {"kata_sandi": DEMO_PASSWORD})
    assert done.status_code == 302
    assert task not in text_of(client.get("/"))
    assert task not in text_of(client_for(people, "staf").get("/"))
