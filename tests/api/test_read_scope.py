"""What an agency reads through the API: only its own invitations and rows, never another agency's
table or the bureau's internal documents or history, whichever route it reads (every readable
route of the API's URLconf); the bureau reads the history and the tables as sent. Who may call
what at all is the generated matrix (tests/api/test_permission_matrix.py)."""

import pytest

from api.models import Access
from tests.api.helpers import as_token
from tests.api.test_permission_matrix import api_routes, methods_of, urls
from tests.marked import DINSOS_MARK, INTERNAL_MARK, marked_dossiers
from tests.permission_matrix import USERS
from workflow import policy
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, IkuStage


@pytest.fixture
def marked(people, walk):
    return marked_dossiers(people, walk)[:2]


@pytest.mark.parametrize("username", [u for u in USERS if u != "anonymous"])
def test_no_api_read_shows_what_its_reader_may_not_see(people, marked, settings, username):
    settings.SOP_API_REQUESTS = 1_000_000
    user = people[username]
    # The bureau and the admin read everything; anyone else neither Dinas Sosial's rows nor the bureau's inside.
    hidden = () if policy.is_internal(user) or policy.is_admin(user) else (DINSOS_MARK, INTERNAL_MARK)
    caller = as_token(people, username, Access.READ)
    read = 0
    for dossier in marked:
        for name, route in api_routes():
            for url, _ in urls(name, route, dossier, people):
                if "get" not in methods_of(url) or name in ("api_schema", "api_docs"):
                    continue
                response = caller.get(url)
                assert response.status_code < 500, (username, url)
                read += response.status_code == 200
                # A file (a document's download) is read whole too; its bytes need not be text.
                body = b"".join(response.streaming_content) if response.streaming else response.content
                for mark in hidden:
                    assert mark not in body.decode(errors="replace"), (username, url, mark)
    assert read >= 2, read  # at least who they are and their list


def test_an_agency_lists_only_its_invitations_and_sees_no_history(people, marked):
    dossier, other = marked
    listed = as_token(people, "dinkes").get("/api/v1/dosier/").json()["results"]
    assert [d["id"] for d in listed] == [dossier.pk]
    assert listed[0]["skpd_diundang"] == [{"id": people["dinkes"].skpd_id, "nama": "Dinas Kesehatan"}]
    assert "riwayat" not in as_token(people, "dinkes").get(f"/api/v1/dosier/{dossier.pk}/").json()
    assert as_token(people, "dishub").get("/api/v1/dosier/").json()["results"] == []
    bureau = as_token(people, "kabag").get("/api/v1/dosier/").json()["results"]
    assert {d["id"] for d in bureau} == {dossier.pk, other.pk}


def test_the_bureau_reads_the_history_with_who_did_what(people, marked):
    dossier, _ = marked
    found = as_token(people, "kasubag").get(f"/api/v1/dosier/{dossier.pk}/").json()
    actions = [event["tindakan"] for event in found["riwayat"]]
    assert actions[0] == "buat" and Action.AJUKAN_IKU in actions
    assert found["posisi"] == STEP_BY_NUMBER[5].state and found["langkah"] == 5
    assert found["tenggat"] is not None and found["terlambat"] is False


def test_the_iku_table_and_versions_are_what_the_agency_sent(people, marked):
    dossier, _ = marked
    table = as_token(people, "kasubag").get(f"/api/v1/dosier/{dossier.pk}/iku/{IkuStage.BAHAN}/").json()
    sent = [row for row in table["baris"] if row["skpd"] == "Dinas Sosial"]
    assert sent[0]["indikator"] == f"Indikator {DINSOS_MARK}" and sent[0]["nomor"] is not None
    assert "Formula/cara pengukuran belum diisi." in sent[0]["peringatan"]
    versions = as_token(people, "kasubag").get(
        f"/api/v1/dosier/{dossier.pk}/iku/bahan/skpd/{people['dinsos'].skpd_id}/versi/").json()
    assert versions["versi"][0]["nomor"] == 1 and versions["versi"][0]["catatan"] == DINSOS_MARK


def test_an_agency_cannot_learn_which_of_its_rounds_invite_another_agency(people, marked):
    from django.test import Client

    dossier, _ = marked
    assert dossier.invited.filter(pk=people["dinsos"].skpd_id).exists()
    dinkes = as_token(people, "dinkes")
    listed = dinkes.get("/api/v1/dosier/", {"skpd": people["dinsos"].skpd_id}).json()["results"]
    assert listed == []
    listed = dinkes.get("/api/v1/dosier/", {"skpd": people["dinkes"].skpd_id}).json()["results"]
    assert [d["id"] for d in listed] == [dossier.pk]
    # The bureau filters by any agency.
    listed = as_token(people, "kabag").get("/api/v1/dosier/", {"skpd": people["dinsos"].skpd_id}).json()["results"]
    assert dossier.pk in {d["id"] for d in listed}
    refused = dinkes.get("/api/v1/dosier/", {"skpd": "9" * 25})
    assert refused.status_code == 400 and "Nomor SKPD tidak sah." in refused.content.decode()
    # In the archive, an agency has no agency filter to ask with.
    browser = Client()
    browser.force_login(people["dinkes"])
    page = browser.get("/arsip/", {"skpd": people["dishub"].skpd_id})
    assert page.status_code == 200 and 'name="skpd"' not in page.content.decode()
    assert dossier.judul in page.content.decode()
    page = browser.get("/arsip/", {"tahun": "9" * 25})
    assert page.status_code == 200 and "Tahun paling akhir 2100." in page.content.decode()


def test_another_agencys_versions_are_not_found_alike_whether_sent_not_sent_or_no_agency(people, marked):
    """The answer never says whether another agency has sent (Dinas Sosial has at one stage, not at
    the other), nor whether an agency number exists."""
    from django.test import Client

    dossier, _ = marked
    dinsos, dishub = people["dinsos"].skpd_id, people["dishub"].skpd_id
    asked = [("bahan", dinsos), ("konsep", dinsos), ("bahan", dishub), ("bahan", 999_999), ("bahan", "9" * 30)]
    dinkes = as_token(people, "dinkes")
    answers = {dinkes.get(f"/api/v1/dosier/{dossier.pk}/iku/{stage}/skpd/{skpd}/versi/").content for stage, skpd in asked}
    assert len(answers) == 1 and "Kiriman tidak ditemukan." in answers.pop().decode()
    browser = Client()
    browser.force_login(people["dinkes"])
    pages = [browser.get(f"/dosier/{dossier.pk}/iku/{stage}/versi/{skpd}/") for stage, skpd in asked]
    assert {page.status_code for page in pages} == {404}
    # The bureau is told which agency has not sent yet.
    kasubag = as_token(people, "kasubag")
    assert "belum mempunyai kiriman" in kasubag.get(
        f"/api/v1/dosier/{dossier.pk}/iku/konsep/skpd/{dishub}/versi/").content.decode()
    assert kasubag.get(f"/api/v1/dosier/{dossier.pk}/iku/bahan/skpd/{'9' * 30}/versi/").status_code == 404
