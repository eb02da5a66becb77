"""The token's name is on the events of its own request only. A token's request that failed as
nobody foresaw (answered by the site's 500 handler) left the name set in the worker: a
person's next write on a page in that worker was logged as made through the token; and when the
name was later let go, at a moment chosen by Python's garbage collector, in the middle of another
token's request, that request's event was logged without its own token's name."""

import gc

from tests.api.helpers import as_token
from tests.factories import client_for, prepare_step
from workflow import services
from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER


def failed_unforeseen(people, walk, monkeypatch):
    """A token's read that fails as nobody foresaw (a bug, a broken disk): the site's 500, in JSON."""
    from api import views_dossiers

    dossier = walk(STEP_BY_NUMBER[7].state)

    def broken(*args, **kwargs):
        raise RuntimeError("uji")

    with monkeypatch.context() as patched:
        patched.setattr(views_dossiers, "content_tag", broken)
        assert as_token(people, "kabag", nama="Skrip gagal").get(f"/api/v1/dosier/{dossier.pk}/").status_code == 500


def test_a_page_write_after_a_tokens_failed_request_is_not_logged_as_the_token(people, walk, monkeypatch):
    failed_unforeseen(people, walk, monkeypatch)
    dossier = walk(STEP_BY_NUMBER[1].state)
    prepare_step(dossier, people)
    dossier.refresh_from_db()
    page = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Undangan terkirim"})
    assert page.status_code == 302
    event = AuditEvent.objects.filter(dossier=dossier, action=Action.SELESAIKAN).get()
    assert "token_api" not in event.data


def test_a_tokens_write_keeps_its_name_whenever_the_collector_runs(people, walk, monkeypatch):
    failed_unforeseen(people, walk, monkeypatch)
    dossier = walk(STEP_BY_NUMBER[1].state)
    prepare_step(dossier, people)
    dossier.refresh_from_db()
    real = services.perform

    def collected_first(*args, **kwargs):
        gc.collect()
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "perform", collected_first)
    response = as_token(people, "kasubag", nama="Skrip Biro").post(
        f"/api/v1/dosier/{dossier.pk}/aksi/{Action.SELESAIKAN}/", {"catatan": "Undangan terkirim"},
        HTTP_IF_MATCH=f'"{dossier.pk}-{dossier.revision}-{dossier.state}"')
    assert response.status_code == 200, response.content
    event = AuditEvent.objects.filter(dossier=dossier, action=Action.SELESAIKAN).get()
    assert event.data.get("token_api") == "Skrip Biro"
