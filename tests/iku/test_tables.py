"""The agencies' IKU as the Lampiran table: the bureau sees all, an agency its own."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import client_for
from workflow import demo
from workflow.steps import STEP_BY_NUMBER


def test_the_bureau_sees_every_agencys_rows_and_an_agency_only_its_own(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    url = f"/dosier/{dossier.pk}/iku/konsep/"
    bureau = client_for(people, "kabag").get(url).content.decode()
    assert "Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan" in bureau
    assert "Indeks kepuasan masyarakat terhadap layanan Dinas Sosial" in bureau
    own = client_for(people, "dinkes").get(url).content.decode()
    assert "layanan Dinas Kesehatan" in own and "layanan Dinas Sosial" not in own
    assert client_for(people, "dishub").get(url).status_code == 404
    assert "Belum ada Bahan penyusunan IKU" in client_for(people, "kabag").get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    assert client_for(people, "kabag").get(f"/dosier/{dossier.pk}/iku/lain/").status_code == 404


def test_the_csv_has_the_lampiran_columns(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    response = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/iku/konsep/csv/")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["No", "SKPD", "Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan",
                       "Formula/Cara Pengukuran", "Satuan", "Target", "Sumber Data", "Penanggung Jawab"]
    assert [r[1] for r in rows[1:]] == ["Dinas Kesehatan", "Dinas Sosial"]
    assert rows[1][7] == "82,5"


def test_the_table_runs_the_same_queries_for_few_or_many_rows(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    demo.submit_iku(dossier, people["dinkes"])
    client = client_for(people, "dinkes")
    url = f"/dosier/{dossier.pk}/iku/konsep/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    dossier.refresh_from_db()
    from workflow import services
    from workflow.actions import Action

    services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=[demo.sample_row(people["dinkes"].skpd) for _ in range(30)])
    with CaptureQueriesContext(connection) as many:
        assert "30" in client.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_bureaus_table_runs_the_same_queries_for_two_agencies_or_twelve(people, walk, django_assert_num_queries):
    from iku.models import IkuRow, IkuSubmission
    from workflow.models import Skpd

    dossier = walk(STEP_BY_NUMBER[4].state)
    client = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/iku/konsep/"
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    more = list(Skpd.objects.exclude(submissions__dossier=dossier).order_by("pk")[:10])
    dossier.invited.add(*more)
    submissions = IkuSubmission.objects.bulk_create(
        IkuSubmission(dossier=dossier, skpd=skpd, stage="konsep", submitted_by=people["kasubag"],
                      submitted_at=dossier.state_entered_at) for skpd in more)
    rows = []
    for submission, skpd in zip(submissions, more):
        for n in range(5):
            row = demo.sample_row(skpd)
            row.submission, row.urutan = submission, n + 1
            rows.append(row)
    IkuRow.objects.bulk_create(rows)
    with django_assert_num_queries(len(two.captured_queries)):
        page = client.get(url).content.decode()
    assert all(f"layanan {skpd.nama_pendek}" in page for skpd in more)
