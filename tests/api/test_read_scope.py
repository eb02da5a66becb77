"""Who reads what through the API: every user against every read endpoint, from the same policy
and scopes the inbox, the archive and the pages read. An agency sees only its own invitations and
its own rows, never the bureau's internal documents or history; the report is the officials'."""

import pytest

from api.models import Access
from tests.api.helpers import as_token
from tests.marked import DINSOS_MARK, INTERNAL_MARK, marked_dossiers
from tests.permission_matrix import USERS
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, IkuStage

BUREAU = ("kasubag", "staf", "kabag", "kabiro", "tim", "admin")
OFFICIALS = ("kasubag", "kabag", "kabiro")


@pytest.fixture
def marked(people, walk):
    return marked_dossiers(people, walk)[:2]


def expected(username, dossier, other, people) -> dict:
    """url: (status, markers the body must not show) for `username`."""
    sees_dossier = username in BUREAU or username == "dinkes"
    sees_other = username in BUREAU
    hidden = () if username in BUREAU else (DINSOS_MARK, INTERNAL_MARK)
    dinsos = people["dinsos"].skpd_id
    seen = 200 if sees_dossier else 404
    return {
        f"/api/v1/dosier/{dossier.pk}/": (seen, hidden),
        f"/api/v1/dosier/{other.pk}/": (200 if sees_other else 404, hidden),
        f"/api/v1/dosier/{dossier.pk}/iku/bahan/": (seen, hidden),
        f"/api/v1/dosier/{dossier.pk}/iku/lain/": (404, ()),
        f"/api/v1/dosier/{dossier.pk}/iku/bahan/skpd/{dinsos}/versi/": (200 if sees_other else 404, hidden),
        f"/api/v1/dosier/{dossier.pk}/dokumen/": (seen, hidden),
        "/api/v1/dosier/": (200, hidden),
        "/api/v1/laporan/?tahun=2027": (200 if username in OFFICIALS else 403, hidden),
    }


@pytest.mark.parametrize("username", [u for u in USERS if u != "anonymous"])
def test_each_user_reads_exactly_what_the_pages_show_them(people, marked, username):
    dossier, other = marked
    caller = as_token(people, username, Access.READ)
    for url, (status, hidden) in expected(username, dossier, other, people).items():
        response = caller.get(url)
        assert response.status_code == status, (username, url, response.status_code, response.content[:300])
        body = response.content.decode()
        for mark in hidden:
            assert mark not in body, (username, url, mark)


def test_an_agency_lists_only_its_invitations_and_sees_no_history(people, marked):
    dossier, other = marked
    listed = as_token(people, "dinkes").get("/api/v1/dosier/").json()["results"]
    assert [d["id"] for d in listed] == [dossier.pk]
    assert listed[0]["skpd_diundang"] == [{"id": people["dinkes"].skpd_id, "nama": "Dinas Kesehatan"}]
    assert "riwayat" not in as_token(people, "dinkes").get(f"/api/v1/dosier/{dossier.pk}/").json()
    assert as_token(people, "dishub").get("/api/v1/dosier/").json()["results"] == []
    bureau = as_token(people, "kabag").get("/api/v1/dosier/").json()["results"]
    assert {d["id"] for d in bureau} == {dossier.pk, other.pk}


def test_anonymous_gets_401_everywhere(people, marked, client):
    dossier, _ = marked
    for url in expected("anonymous", dossier, *marked[1:], people):
        assert client.get(url).status_code == 401, url


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
