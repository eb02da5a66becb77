import pytest

from iku.models import IkuSubmission
from workflow.steps import STEP_BY_NUMBER


@pytest.fixture
def blank_konsep(walk):
    """A dossier at step 3 where no agency has typed or sent anything yet, and its grid's address."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    dossier.grid_url = f"/dosier/{dossier.pk}/aksi/ajukan_iku/"
    return dossier
