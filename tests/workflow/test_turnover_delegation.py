"""A Plt. ends while the step waits on it: the Kabiro's post was vacant, a Kabag stood in as Plt. and
opened the signing page on its last day; the next morning the Plt. has ended. Sending the page was
refused with "dosier sudah berpindah, atau tindakan ini sudah dilakukan", though the dossier stood
where it did and nobody had signed: the right had ended, not the step. The page comes back saying so."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import long_date
from tests.factories import client_for
from tests.workflow.test_vacant_post import kabag2, leaves  # noqa: F401 - the fixture
from workflow.models import Delegation, Dossier
from workflow.steps import STEP_BY_NUMBER


def test_a_plt_ended_while_the_nota_waits_is_told_so_not_that_the_dossier_moved(people, walk, kabag2):  # noqa: F811
    dossier = walk(STEP_BY_NUMBER[8].state)
    # The Nota reached the Kabiro's desk days before, while the Plt. ran.
    Dossier.objects.filter(pk=dossier.pk).update(state_entered_at=timezone.now() - dt.timedelta(days=3))
    leaves(people["kabiro"])
    today = timezone.localdate()
    plt = Delegation.objects.create(official=people["kabiro"], delegate=kabag2, role="kabiro", kind="plt",
                                    starts_on=today - dt.timedelta(days=10), ends_on=today)
    client = client_for(people, "anonymous")
    client.force_login(kabag2)
    assert client.get(f"/dosier/{dossier.pk}/aksi/selesaikan/").status_code == 200
    yesterday = today - dt.timedelta(days=1)
    Delegation.objects.filter(pk=plt.pk).update(ends_on=yesterday)  # the next morning, as it were
    answer = client.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Setuju", "password": "sopiku-demo"})
    text = re.sub(r"\s+", " ", answer.content.decode())
    # The page comes back with the note as typed, not a refusal page.
    assert answer.status_code == 200 and re.search(r'name="catatan"[^>]*> ?Setuju</textarea>', text)
    assert "sudah berpindah" not in text
    assert (f"Pelimpahan Plt. Kabiro dari {people['kabiro']} kepada Anda berakhir pada {long_date(yesterday)}, jadi "
            "“") in text
    assert "tidak dapat Anda lakukan lagi. Dosier ini tetap di posisi “Langkah 8: " in text


def test_a_delegation_ended_before_the_dossier_reached_the_step_is_not_named(people, walk, kabag2):  # noqa: F811
    dossier = walk(STEP_BY_NUMBER[8].state)
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabiro"], delegate=kabag2, role="kabiro", kind="plh",
                              starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=50))
    client = client_for(people, "anonymous")
    client.force_login(kabag2)
    answer = client.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision, "state": dossier.state})
    assert answer.status_code == 403
    assert "berakhir pada" not in answer.content.decode()
