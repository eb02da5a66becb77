"""The dossier page, the archive and the notices printed (Ctrl+P on A4) for a meeting or a file:
each printed as one piece where it must be, without what paper cannot use."""

import pytest

from tests.browser import printed
from workflow.steps import STEP_BY_NUMBER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_dossier_diagram_prints_whole_on_one_sheet_under_its_heading(people, walk, sign_in):
    dossier = walk(STEP_BY_NUMBER[9].state)
    with sign_in("kabag") as page:
        sheets = printed(page, f"/dosier/{dossier.pk}/")
    # Drawn at its screen size the flow was taller than A4: its heading stood alone on a blank sheet
    # and the box of step 9 was cut between the next two.
    [sheet] = [s for s in sheets if "Posisi dosier" in s]
    assert sheet.count("\u2713 dilalui") == 8, sheet
    assert "posisi sekarang" in sheet and "Selesai (IKU ditetapkan)" in sheet, sheet
