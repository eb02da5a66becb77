"""The dossier page, opening a new dossier, and document downloads."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import client_for
from workflow import demo
from workflow.models import Dossier, Skpd
from workflow.steps import STEP_BY_NUMBER, STEPS, DocKind


def test_the_page_shows_the_nine_steps_with_done_current_and_waiting(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    html = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    for step in STEPS:
        assert f"Langkah {step.number}: {step.kegiatan}" in html
    steps = html.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert steps.count('aria-current="step"') == 1
    assert steps.count('<li class="done"') == 6 and steps.count('<li class="waiting"') == 2
    assert "Diselesaikan oleh Rina Marlina, S.E., M.Si. (Kasubag)" in html
    assert "Dikembalikan oleh Drs. Hendra Gunawan, M.M. (Kabag)" in html
    assert "<svg" in html and "Riwayat" in html


def test_a_cancelled_round_marks_the_step_it_stopped_at_not_as_still_to_come(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/batalkan/", {
        "revision": dossier.revision, "state": dossier.state, "alasan": "Dibuka dua kali"})
    dossier.refresh_from_db()
    assert dossier.state == "dibatalkan"
    html = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    steps = html.split('<ol class="timeline">')[1].split("</ol>")[0].split("<li ")[1:]
    assert [item.split('"')[1] for item in steps] == ["done"] * 3 + ["cancelled"] + ["waiting"] * 5
    assert "Dibatalkan di langkah ini" in steps[3] and "Belum" not in steps[3]


def test_an_agency_sees_its_letters_and_its_own_iku_row_only(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    html = client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Undangan workshop" in html and "Surat ke SKPD" in html
    assert "DPA SKPD" not in html.split("Sembilan langkah SOP")[1]
    assert ">Dinas Kesehatan<" in html and ">Dinas Sosial<" not in html
    assert "Riwayat" not in html
    assert client_for(people, "dishub").get(f"/dosier/{dossier.pk}/").status_code == 404


def test_documents_download_only_for_those_allowed(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    dpa = dossier.documents.get(kind=DocKind.DPA)
    undangan = dossier.documents.get(kind=DocKind.UNDANGAN)
    response = client_for(people, "tim").get(f"/dokumen/{dpa.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for(people, "dinkes").get(f"/dokumen/{undangan.pk}/").status_code == 200
    assert client_for(people, "dinkes").get(f"/dokumen/{dpa.pk}/").status_code == 403
    assert client_for(people, "dishub").get(f"/dokumen/{undangan.pk}/").status_code == 404
    assert client_for(people, "tim").get("/dokumen/999999/").status_code == 404


def test_the_dossier_page_runs_the_same_queries_among_10_or_1000_dossiers(people, walk):
    from tests.workflow.test_views_lists import bulk_dossiers

    dossier = walk(STEP_BY_NUMBER[7].state)
    client = client_for(people, "kabag")
    bulk_dossiers(people, 10)
    client.get(f"/dosier/{dossier.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/dosier/{dossier.pk}/")
    bulk_dossiers(people, 990)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/dosier/{dossier.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_kasubag_opens_a_dossier_and_inactive_agencies_are_not_offered(people):
    client = client_for(people, "kasubag")
    Skpd.objects.filter(nama_pendek="Badan Penghubung").update(aktif=False)
    form = client.get("/dosier/baru/").content.decode()
    assert "Badan Penghubung" not in form and "Dinas Kesehatan" in form
    empty = client.post("/dosier/baru/", {"tahun": "2028", "judul": "IKU 2028"})
    assert "Pilih sedikitnya satu SKPD yang diundang." in empty.content.decode()
    assert "IKU 2028" in empty.content.decode()
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    response = client.post("/dosier/baru/", {"tahun": "2028", "judul": "IKU 2028", "invited": [dinkes.pk]}, follow=True)
    created = Dossier.objects.get(judul="IKU 2028")
    assert list(created.invited.all()) == [dinkes]
    assert "dibuat dan berada di langkah 1" in response.content.decode()
    assert client_for(people, "staf").get("/dosier/baru/").status_code == 403
    assert demo  # the demo module made the people used here


def test_each_stay_in_a_returned_step_has_its_own_clock_on_the_page(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)
    html = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    step6 = html.split("Langkah 6: ")[1].split("</li>")[0]
    assert "Putaran ke-1:" in step6 and "Putaran ke-2:" in step6
    assert step6.count("batas ") == 2
