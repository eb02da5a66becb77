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


def test_the_page_shows_the_rows_in_the_order_and_with_the_warnings_every_copy_has(people, walk):
    # The page reads its rows as plain values in one query (iku.table.shown_rows): the same rows,
    # in table_rows' order, with the same texts and warnings as the model objects the CSV reads.
    from iku.models import IkuRow, IkuSubmission
    from iku.reading import visible_rows, visible_shown_rows, warnings_by_row
    from iku.table import shown_rows, table_rows

    dossier = walk(STEP_BY_NUMBER[4].state)
    first = IkuSubmission.objects.filter(dossier=dossier, stage="konsep").order_by("pk").first()
    first.urutan = 9  # placed last by the Kasubag, whatever its name
    first.save(update_fields=["urutan"])
    IkuRow.objects.filter(submission=first).update(formula="", dikeluarkan="Di luar kewenangan")
    other = IkuSubmission.objects.filter(dossier=dossier, stage="konsep").exclude(pk=first.pk).first()
    more = [demo.sample_row(other.skpd) for _ in range(3)]
    for number, row in zip((5, 0, 3), more):
        row.submission, row.urutan, row.sasaran_strategis = other, number, ""
    IkuRow.objects.bulk_create(more)
    models, shown = table_rows(dossier, "konsep", with_excluded=True), shown_rows(dossier, "konsep")
    assert [row.pk for row in shown] == [row.pk for row in models] and len(shown) == 5
    assert shown[-1].submission_id == first.pk
    assert [(r.agency, r.as_dict(), r.dikeluarkan, r.komentar) for r in shown] == [
        (r.submission.skpd.nama_pendek, r.as_dict(), r.dikeluarkan, r.komentar) for r in models]
    assert warnings_by_row(shown) == warnings_by_row(models) != {}
    for username in ("kasubag", "dinkes", "dinsos"):
        assert [r.pk for r in visible_shown_rows(people[username], dossier, "konsep")] == [
            r.pk for r in visible_rows(people[username], dossier, "konsep", with_excluded=True)]
    assert {r.skpd_id for r in visible_shown_rows(people["dinkes"], dossier, "konsep")} == {people["dinkes"].skpd_id}


def test_the_round_table_reads_what_the_matrix_reads(people, walk):
    # The dossier page's round table (one query of plain values) against the matrix of model objects
    # the dashboard reads: the same agencies, in the same order, each cell the same.
    from django.db.models import Q
    from django.utils import timezone

    from iku.round import matrix, round_table
    from iku.table import save_draft
    from workflow.models import Skpd

    dossier = walk(STEP_BY_NUMBER[3].state)
    demo.submit_iku(dossier, people["dinkes"], "Konsep")
    client_for(people, "dinsos").post(f"/dosier/{dossier.pk}/iku/draf/", {"state": dossier.state, "r-1-indikator": "X"})
    added = list(Skpd.objects.exclude(pk__in=dossier.invited.values("pk"))[:3])
    dossier.invited.add(*added)
    # A row whose draft was emptied: no draft (the table asks the database whether it is "[]").
    save_draft(dossier, added[0], "konsep", [], at=timezone.now())

    def seen(table):
        return [(agency.pk, agency.nama_pendek, [(c.status, c.label, c.sent_at, c.submission and c.submission.stage)
                                                 for c in cells]) for agency, cells in table["rows"]]

    every = round_table(dossier)
    assert seen(every) == seen(matrix(dossier, list(dossier.invited.all())))
    assert every["missing_now"] == matrix(dossier, list(dossier.invited.all()))["missing_now"] > 0
    assert {c.status for _, cells in every["rows"] for c in cells} >= {"terkirim", "draf", "belum"}
    emptied = next(cells for agency, cells in every["rows"] if agency.pk == added[0].pk)
    assert emptied[0].submission is not None and emptied[0].status == "belum"
    own = people["dinkes"].skpd_id
    only_own = matrix(dossier, list(dossier.invited.filter(Q(pk=own))))
    assert seen(round_table(dossier, own, agency_only=True)) == seen(only_own) and len(only_own["rows"]) == 1
    assert round_table(dossier, None, agency_only=True)["rows"] == []


def test_the_bureaus_table_folds_long_texts_and_counts_empty_optional_columns_once(people, walk):
    from tests.iku.test_round import send

    dossier = walk(STEP_BY_NUMBER[3].state)
    long = "Meningkatnya derajat kesehatan masyarakat melalui pemerataan akses dan mutu pelayanan " * 3
    send(people, dossier, "dinkes", [{"sasaran_strategis": long.strip(), "indikator": "Usia harapan hidup",
                                      "target": "71,2"}, {"indikator": "Angka kematian ibu", "target": "Predikat A"}])
    client = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/iku/konsep/"
    page = client.get(url).content.decode()
    # Its start and a way to read it whole, which works without a script.
    assert '<details class="long-text"><summary><span class="lead">Meningkatnya derajat kesehatan' in page
    assert '<span class="more">selengkapnya</span></summary>' in page and long.strip() in page
    assert '<a href="?lengkap=1">Tampilkan semua teks lengkap</a>' in page
    whole = client.get(url + "?lengkap=1").content.decode()
    assert 'class="long-text"' not in whole and long.strip() in whole and '<a href="?">Ringkas teks panjang</a>' in whole
    # Two rows without Formula, Sumber data, Penanggung jawab: counted once each above the table,
    # never repeated on the rows, where only the real doubt stays.
    assert '<span class="muted">2 baris tanpa sumber data</span>' in page
    assert "1 baris dengan target tanpa angka" in page
    assert "Sumber data belum diisi." not in page and "No 2: Target tidak memuat angka." in page
