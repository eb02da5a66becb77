"""The position badge and the step's clock that every list shows in a row (the tags in
workflow/templatetags/positions.py)."""

from tests.factories import client_for
from workflow.steps import DI_GUBERNUR, STEP_BY_NUMBER


def test_a_returned_step_shows_its_round_and_how_much_time_is_used(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    page = client_for(people, "kabag").get("/").content.decode()
    assert f'<span class="badge">{dossier.state_label}</span>' in page
    assert "putaran ke-2" in page and "Terpakai" in page and "Batas:" in page


def test_the_governors_desk_is_shown_untimed(people, walk):
    dossier = walk(DI_GUBERNUR)
    page = client_for(people, "kasubag").get("/").content.decode()
    assert dossier.judul in page and "Tidak diukur" in page


def test_a_finished_dossier_is_marked_done_in_the_archive(people, walk):
    dossier = walk("selesai")
    page = client_for(people, "kasubag").get("/arsip/").content.decode()
    assert f'<span class="badge ok">{dossier.state_label}</span>' in page
