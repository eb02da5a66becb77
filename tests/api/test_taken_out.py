"""A deactivated agency's program reads a running round it was invited to as its officers' inbox says
it: no deadline and never late for it, since when it was taken out (`skpd_dikeluarkan`), a new ETag
the moment the admin deactivates it, and a refused `iku-saya` saying why. Reactivated, as before."""

from django.utils import timezone

from tests.api.helpers import as_token
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER


def deactivate(agency_id, at):
    Skpd.objects.filter(pk=agency_id).update(aktif=False, nonaktif_sejak=at)


def test_a_deactivated_agencys_program_reads_no_deadline_as_its_own(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    late = walk(STEP_BY_NUMBER[3].state, judul="Putaran terlambat")
    type(late).objects.filter(pk=late.pk).update(due_at=timezone.now() - timezone.timedelta(hours=1))
    api = as_token(people, "dinkes")
    address = f"/api/v1/dosier/{dossier.pk}/"
    before = api.get(address)
    assert before.json()["tenggat"] is not None and before.json()["skpd_dikeluarkan"] is None
    assert [d["judul"] for d in api.get("/api/v1/dosier/", {"terlambat": "true"}).json()["results"]] == [
        "Putaran terlambat"]

    at = timezone.now()
    deactivate(people["dinkes"].skpd_id, at)
    read = api.get(address, HTTP_IF_NONE_MATCH=before["ETag"])
    assert read.status_code == 200, "the deactivation changes the answer, so its tag"
    answer = read.json()
    assert answer["tenggat"] is None and answer["terlambat"] is False
    assert answer["skpd_dikeluarkan"]["sejak"] == timezone.localtime(at).isoformat()
    assert answer["skpd_dikeluarkan"]["keterangan"].startswith("Dinas Kesehatan dikeluarkan dari putaran ini sejak")
    assert api.get(address, HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304
    listed = {d["judul"]: d for d in api.get("/api/v1/dosier/").json()["results"]}
    assert all(d["tenggat"] is None and d["terlambat"] is False and d["skpd_dikeluarkan"] for d in listed.values())
    assert api.get("/api/v1/dosier/", {"terlambat": "true"}).json()["results"] == []
    assert len(api.get("/api/v1/dosier/", {"terlambat": "false"}).json()["results"]) == 2
    refused = api.get(f"{address}iku-saya/")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Dinas Kesehatan sudah dinonaktifkan oleh admin, jadi putaran tidak "
                                               "lagi menunggu IKU-nya")

    # The bureau still reads the round's deadline, and another agency its own.
    assert as_token(people, "kasubag").get(address).json()["tenggat"] == before.json()["tenggat"]
    assert as_token(people, "dinsos").get(address).json()["skpd_dikeluarkan"] is None

    Skpd.objects.filter(pk=people["dinkes"].skpd_id).update(aktif=True, nonaktif_sejak=None)
    again = api.get(address, HTTP_IF_NONE_MATCH=read["ETag"])
    assert again.status_code == 200 and again.json() == before.json() and again["ETag"] == before["ETag"]


def test_the_schema_says_what_skpd_dikeluarkan_holds_and_that_tenggat_may_be_null(db, client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    dossier = schema["components"]["schemas"]["Dosier"]["properties"]
    assert dossier["tenggat"]["format"] == "date-time" and dossier["tenggat"]["nullable"] is True
    assert "dikeluarkan dari putaran" in dossier["tenggat"]["description"]
    taken_out = dossier["skpd_dikeluarkan"]
    assert taken_out["nullable"] is True
    shape = schema["components"]["schemas"][taken_out["allOf"][0]["$ref"].rpartition("/")[2]]["properties"]
    assert set(shape) == {"sejak", "keterangan"} and shape["sejak"]["nullable"] is True
