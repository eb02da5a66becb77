"""An agency the admin deactivated is no longer waited on by the round: its sent IKU cannot be
reopened, which would put its table in no inbox until a reactivation showed it already late."""

import pytest

from iku.models import IkuSubmission
from tests.factories import client_for
from workflow import gates, services
from workflow.actions import Action
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER


@pytest.fixture
def returned(walk):
    """A dossier back at step 6 after the Kabag's return, where the Kasubag may reopen a table."""
    return walk(STEP_BY_NUMBER[6].state, returns=1)


def test_a_deactivated_agency_is_not_offered_nor_reopened(people, returned):
    dossier = returned
    dinsos = people["dinsos"].skpd
    Skpd.objects.filter(pk=dinsos.pk).update(aktif=False)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/"
    page = kasubag.get(url).content.decode()
    assert f'value="{people["dinkes"].skpd.pk}"' in page
    assert f'value="{dinsos.pk}"' not in page
    dossier.refresh_from_db()
    response = kasubag.post(url, {"revision": dossier.revision, "state": dossier.state, "skpd": dinsos.pk,
                                  "catatan": "Periksa kembali target"})
    assert response.status_code == 200
    assert "Pilih SKPD aktif yang sudah mengirim." in response.content.decode()
    assert not IkuSubmission.objects.filter(dossier=dossier, skpd=dinsos, reopened_at__isnull=False).exists()


def test_the_reopening_is_refused_when_the_agency_was_deactivated_after_the_form_was_checked(people, returned):
    dossier = returned
    dinsos = Skpd.objects.get(pk=people["dinsos"].skpd_id)  # as the form read it, still active
    Skpd.objects.filter(pk=dinsos.pk).update(aktif=False)
    dossier.refresh_from_db()
    with pytest.raises(gates.GateError, match="sudah dinonaktifkan admin"):
        services.perform(dossier, people["kasubag"], Action.BUKA_KEMBALI_IKU, revision=dossier.revision,
                         skpd=dinsos, catatan="Periksa kembali target")
    assert not IkuSubmission.objects.filter(dossier=dossier, skpd=dinsos, reopened_at__isnull=False).exists()
