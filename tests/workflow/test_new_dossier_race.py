"""A second dossier for a year needs the tick even when the first is being made at the same moment
(issue 29, item 4): twenty simultaneous creations without it make one dossier, and nineteen forms
come back with the refusal next to the tick, as typed.

The races need PostgreSQL (real threads, real connections); the dossier that appears between the
form's check and the creation is simulated on any database.
"""

import re
import threading
import time

import pytest

from tests.factories import client_for
from tests.workflow.test_concurrency import at_once
from workflow import demo
from workflow.forms import DossierCreateForm
from workflow.models import Dossier

ATTEMPTS = 20
REFUSAL = "Sudah ada dosier untuk tahun {tahun}. Centang kotak ini bila memang perlu dosier kedua."


def typed(people, tahun, judul):
    return {"tahun": str(tahun), "judul": judul, "invited": [people["dinkes"].skpd_id]}


def tick_errors(page: str) -> list[str]:
    """The errors shown under the tick field, which the page only shows once a dossier exists."""
    found = re.search(r'<input type="checkbox" name="tetap_buat"[^>]*>.*?<ul class="errorlist" '
                      r'id="id_tetap_buat_error" role="alert">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def assert_refused_as_typed(response, tahun, judul, dinkes):
    page = response.content.decode()
    assert response.status_code == 200
    assert tick_errors(page) == [REFUSAL.format(tahun=tahun)], page
    assert f'value="{judul}"' in page and f'value="{tahun}"' in page
    assert re.search(rf'<input type="checkbox" name="invited" value="{dinkes}"[^>]* checked', page)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_creations_for_one_year_at_once_make_one_dossier_and_nineteen_refusals(people):
    tahun = 2033
    spans, lock = [], threading.Lock()

    def create(client, judul):
        def run(ready):
            ready()
            start = time.monotonic()
            response = client.post("/dosier/baru/", typed(people, tahun, judul))
            with lock:
                spans.append((start, time.monotonic()))
            return response
        return run

    clients = [client_for(people, "kasubag") for _ in range(ATTEMPTS)]
    responses = at_once([create(client, f"IKU {tahun} ke-{i}") for i, client in enumerate(clients)])

    assert all(hasattr(r, "status_code") for r in responses), responses
    made = [r for r in responses if r.status_code == 302]
    refused = [(i, r) for i, r in enumerate(responses) if r.status_code != 302]
    assert len(made) == 1 and len(refused) == ATTEMPTS - 1
    assert len(spans) == ATTEMPTS and max(s for s, _ in spans) < min(e for _, e in spans), spans
    assert Dossier.objects.filter(tahun=tahun).count() == 1
    for i, response in refused:
        assert_refused_as_typed(response, tahun, f"IKU {tahun} ke-{i}", people["dinkes"].skpd_id)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_tick_simultaneous_creations_all_go_through(people):
    tahun = 2034
    demo.open_dossier(people, tahun, f"IKU {tahun} pertama")

    def create(client, judul):
        def run(ready):
            ready()
            return client.post("/dosier/baru/", typed(people, tahun, judul) | {"tetap_buat": "on"})
        return run

    clients = [client_for(people, "kasubag") for _ in range(4)]
    responses = at_once([create(client, f"IKU {tahun} susulan {i}") for i, client in enumerate(clients)])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 4
    assert Dossier.objects.filter(tahun=tahun).count() == 5


@pytest.mark.django_db
def test_a_dossier_made_after_the_form_was_checked_still_refuses_the_second(people, monkeypatch):
    # Another Kasubag's dossier for the year commits between this form's own check and the
    # creation: the decision taken again under the year's lock sees it.
    tahun, judul = 2035, "IKU 2035 kedua"
    checked, others = DossierCreateForm.clean, []

    def meanwhile(form):
        cleaned = checked(form)
        if not others:
            others.append(demo.open_dossier(people, tahun, "IKU 2035 pertama"))
        return cleaned

    monkeypatch.setattr(DossierCreateForm, "clean", meanwhile)
    response = client_for(people, "kasubag").post("/dosier/baru/", typed(people, tahun, judul))
    assert Dossier.objects.filter(tahun=tahun).count() == 1
    assert_refused_as_typed(response, tahun, judul, people["dinkes"].skpd_id)
    assert "IKU 2035 pertama" in response.content.decode()
