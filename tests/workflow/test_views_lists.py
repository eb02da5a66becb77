"""The inbox, the archive and the dashboard: who sees what, filters, and a constant query count."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import client_for
from workflow import demo, sla
from workflow.models import Dossier, Skpd, StepVisit
from workflow.steps import STEP_BY_NUMBER


def bulk_dossiers(people, count, year=2026, invite=("Dinas Kesehatan",)):
    """Many dossiers at step 1 without walking each (the query-count tests need volume, not history)."""
    now = timezone.now()
    made = Dossier.objects.bulk_create(
        [Dossier(tahun=year, judul=f"Massal {i}", created_by=people["kasubag"], created_at=now, state_entered_at=now)
         for i in range(count)]
    )
    through = Dossier.invited.through
    skpd = list(Skpd.objects.filter(nama_pendek__in=invite))
    through.objects.bulk_create([through(dossier=d, skpd=s) for d in made for s in skpd])
    StepVisit.objects.bulk_create([StepVisit(dossier=d, state=d.state, entered_at=now) for d in made])
    sla.reschedule_open()
    return made


def test_the_inbox_shows_what_waits_on_each_role(people, walk):
    at7 = walk(STEP_BY_NUMBER[7].state, judul="Menunggu Kabag")
    at4 = walk(STEP_BY_NUMBER[4].state, judul="Menunggu tanda tangan Kabiro")
    at3 = walk(STEP_BY_NUMBER[3].state, judul="Workshop berjalan")
    pages = {u: client_for(people, u).get("/").content.decode() for u in ("kabag", "kabiro", "dinkes", "dishub", "tim")}
    assert at7.judul in pages["kabag"] and at4.judul not in pages["kabag"]
    assert at4.judul in pages["kabiro"] and at7.judul not in pages["kabiro"]
    assert at3.judul in pages["dinkes"] and at7.judul not in pages["dinkes"]
    assert at3.judul in pages["tim"]
    assert "Tidak ada dosier yang menunggu tindakan Anda" in pages["dishub"]


def test_the_archive_lists_the_decree_with_its_date(people, walk):
    # A year later the round is looked up as the decree is cited: by its number and its date.
    closed = walk("selesai", judul="Penetapan IKU 2026")
    Dossier.objects.filter(pk=closed.pk).update(nomor_kepgub="188.44/123/HK/2026", tanggal_kepgub="2026-03-04")
    page = client_for(people, "kasubag").get("/arsip/").content.decode()
    assert "Nomor 188.44/123/HK/2026 tanggal 4 Maret 2026" in page


def test_the_archive_filters_by_year_state_agency_and_text(people, walk):
    old = walk("selesai", judul="Penetapan IKU 2025")
    Dossier.objects.filter(pk=old.pk).update(tahun=2025)
    new = walk(STEP_BY_NUMBER[2].state, judul="Penetapan IKU 2027")
    client = client_for(people, "kasubag")
    by_year = client.get("/arsip/?tahun=2025").content.decode()
    assert old.judul in by_year and new.judul not in by_year
    assert "?tahun=2025" in client.get("/arsip/").content.decode()  # the year link: two clicks from anywhere
    by_state = client.get(f"/arsip/?state={STEP_BY_NUMBER[2].state}").content.decode()
    assert new.judul in by_state and old.judul not in by_state
    by_decree = client.get(f"/arsip/?q={old.nomor_kepgub}").content.decode()
    assert old.judul in by_decree and new.judul not in by_decree
    dishub = Skpd.objects.get(nama_pendek="Dinas Perhubungan")
    assert "Tidak ada dosier yang cocok" in client.get(f"/arsip/?skpd={dishub.pk}").content.decode()
    bad = client.get("/arsip/?tahun=dua-ribu")
    assert bad.status_code == 200
    assert "Tahun harus angka, misalnya 2026." in bad.content.decode()
    # A refused filter lists nothing, not the whole archive as if it had been applied.
    for query in ("?tahun=1999", f"?tahun=2025&q={'x' * 300}", "?state=xx", "?urut=judul"):
        page = client.get(f"/arsip/{query}").content.decode()
        assert "Saringan belum benar" in page and old.judul not in page and new.judul not in page, query


def test_the_archive_pages_and_sorts(people):
    bulk_dossiers(people, 30)
    client = client_for(people, "kasubag")
    first = client.get("/arsip/").content.decode()
    assert "Halaman 1 dari 2" in first and "Massal 29" in first and "Massal 0<" not in first
    oldest = client.get("/arsip/?urut=created_at").content.decode()
    assert "Massal 0<" in oldest
    assert "Halaman 2 dari 2" in client.get("/arsip/?hal=2").content.decode()


def test_the_year_choices_are_the_years_each_user_has_dossiers_for(people):
    assert Dossier.objects.years() == []
    for year in (2024, 2027, 2026, 2027):
        bulk_dossiers(people, 1, year=year)
    bulk_dossiers(people, 1, year=2021, invite=("Dinas Sosial",))
    assert Dossier.objects.years() == [2027, 2026, 2024, 2021]
    bureau = client_for(people, "kasubag").get("/arsip/").content.decode()
    assert re.findall(r'href="\?tahun=(\d+)"', bureau) == ["2027", "2026", "2024", "2021"]
    # Dinas Kesehatan was not invited in 2021.
    agency = client_for(people, "dinkes").get("/arsip/").content.decode()
    assert re.findall(r'href="\?tahun=(\d+)"', agency) == ["2027", "2026", "2024"]
    report = client_for(people, "kabiro").get("/laporan/")
    assert report.context["years"] == [2027, 2026, 2024, 2021] and report.context["year"] == 2027


def test_an_agency_sees_only_dossiers_that_invited_it(people):
    bulk_dossiers(people, 2, invite=("Dinas Kesehatan",))
    assert "Massal 1" in client_for(people, "dinkes").get("/arsip/").content.decode()
    assert "Massal 1" not in client_for(people, "dishub").get("/arsip/").content.decode()


@pytest.mark.parametrize("url", ["/", "/arsip/", "/dasbor/", "/arsip/?q=Dinas+Kesehatan", "/arsip/?q=Rina"])
@pytest.mark.parametrize("username", ["kasubag", "dinkes"])
def test_list_pages_run_the_same_queries_for_10_or_1000_dossiers(people, django_assert_num_queries, url, username):
    if url == "/dasbor/" and username == "dinkes":
        return
    client = client_for(people, username)
    bulk_dossiers(people, 10)
    client.get(url)  # warm the session and the user's roles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_dossiers(people, 990)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/arsip/", f"/arsip/?tahun=2026&state={STEP_BY_NUMBER[1].state}",
                                 # A search by agency and by name looks through the invitations and the
                                 # log inside the page's own query, not in queries of its own.
                                 "/arsip/?q=Dinas+Kesehatan"])
def test_a_list_reads_its_rows_total_and_clocks_in_one_query(people, url):
    # The paginator's COUNT and the clocks' search of the stays ride in the page's own query; the
    # archive reads the years it links to besides.
    bulk_dossiers(people, 30)
    client = client_for(people, "kasubag")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = client.get(url).content.decode()
    assert "30 dosier" in page and "Halaman 1 dari 2" in page and "Tepat waktu" in page
    read = [q["sql"] for q in seen if "workflow_dossier" in q["sql"] or "workflow_stepvisit" in q["sql"]]
    listed = [sql for sql in read if sql.startswith('SELECT "workflow_dossier"."id"')]
    years = [sql for sql in read if sql not in listed]
    assert len(listed) == 1 and len(years) == (1 if url.startswith("/arsip/") else 0), read
    assert "COUNT(*)" in listed[0] and '"workflow_stepvisit"' in listed[0]
    if "q=" in url:
        # With the invitations and the names of who acted (workflow.audit.actors) in that same query.
        assert '"workflow_dossier_invited"' in listed[0] and '"pelaku"' in listed[0]


@pytest.mark.parametrize("asked, shown", [("", 1), ("2", 2), ("02", 2), ("3", 2), ("0", 2), ("-1", 2), ("dua", 1), ("1.5", 1),
                                          ("400000000000000000", 2)])
def test_a_page_number_shows_the_page_the_paginator_would(people, asked, shown):
    bulk_dossiers(people, 30)
    for url in ("/", "/arsip/"):
        page = client_for(people, "kasubag").get(f"{url}?hal={asked}").content.decode()
        assert f"Halaman {shown} dari 2" in page, (url, asked)
        assert ("Massal 29" in page) == (shown == (1 if url == "/arsip/" else 2)), (url, asked)


def test_an_empty_list_past_its_first_page_shows_its_first(people):
    client = client_for(people, "kasubag")
    assert "Tidak ada dosier yang menunggu tindakan Anda" in client.get("/?hal=3").content.decode()
    assert "Tidak ada dosier yang cocok" in client.get("/arsip/?hal=3").content.decode()


def test_the_dashboard_counts_dossiers_per_step_and_is_for_leads_only(people, walk):
    walk(STEP_BY_NUMBER[7].state)
    walk(STEP_BY_NUMBER[7].state)
    page = client_for(people, "kabiro").get("/dasbor/").content.decode()
    assert "<strong>2</strong>Langkah 7" in page
    assert client_for(people, "staf").get("/dasbor/").status_code == 403
    assert client_for(people, "dinkes").get("/dasbor/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(db):
    for url in ["/", "/arsip/", "/dasbor/", "/dosier/baru/", "/dokumen/1/"]:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/"), url
    assert "Nama pengguna" in Client().get("/masuk/").content.decode()


def test_login_lands_on_the_inbox(people):
    client = Client()
    response = client.post("/masuk/", {"username": "kabag", "password": demo.DEMO_PASSWORD}, follow=True)
    assert "Menunggu tindakan saya" in response.content.decode()
    wrong = Client().post("/masuk/", {"username": "kabag", "password": "salah"})
    assert "sandi yang benar" in wrong.content.decode()


def test_a_step_past_its_waktu_shows_as_late_on_the_inbox_and_dashboard(people, walk):
    import datetime

    late = walk(STEP_BY_NUMBER[7].state, judul="Tertahan di Kabag")
    walk(STEP_BY_NUMBER[7].state, judul="Baru sampai di Kabag")
    long_ago = timezone.now() - datetime.timedelta(days=30)
    StepVisit.objects.filter(dossier=late, left_at__isnull=True).update(entered_at=long_ago)
    sla.reschedule_open()
    inbox = client_for(people, "kabag").get("/").content.decode()
    row = inbox.split("Tertahan di Kabag")[1].split("</tr>")[0]
    assert '<span class="badge late">Terlambat</span>' in row
    assert "Batas: " in row and " pukul " in row
    fresh_row = inbox.split("Baru sampai di Kabag")[1].split("</tr>")[0]
    assert "badge late" not in fresh_row
    dashboard = client_for(people, "kabiro").get("/dasbor/").content.decode()
    late_table = dashboard.split("Melewati Waktu baku")[1].split("Paling lama menunggu")[0]
    assert "Tertahan di Kabag" in late_table and "Baru sampai di Kabag" not in late_table
    assert "1 terlambat" in dashboard


def test_a_long_inbox_is_paged_oldest_waiting_first(people):
    import datetime

    made = bulk_dossiers(people, 30)
    Dossier.objects.filter(pk=made[-1].pk).update(state_entered_at=timezone.now() - datetime.timedelta(days=3))
    page = client_for(people, "kasubag").get("/").content.decode()
    assert "30 dosier menunggu Anda" in page and "Halaman 1 dari 2" in page
    assert page.index("Massal 29") < page.index("Massal 0<")
    assert "Halaman 2 dari 2" in client_for(people, "kasubag").get("/?hal=2").content.decode()


def test_the_archive_reads_its_agency_filter_in_one_plain_query(people):
    # A select's options were read through a server-side cursor on PostgreSQL (declare, fetch,
    # close: three round trips for 60 agencies); one query reads them whole.
    client = client_for(people, "kasubag")
    client.get("/arsip/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = client.get("/arsip/").content.decode()
    assert "Dinas Kesehatan" in page
    agencies = [q["sql"] for q in seen if '"workflow_skpd"' in q["sql"] and '"workflow_user"' not in q["sql"]]
    assert len(agencies) == 1 and agencies[0].startswith("SELECT"), agencies


def test_a_search_longer_than_the_box_takes_is_said_beside_it(people):
    client = client_for(people, "kasubag")
    page = client.get("/arsip/").content.decode()
    assert 'maxlength="200"' in page
    refused = client.get("/arsip/", {"q": "x" * 201})
    assert refused.status_code == 200 and "Kata pencarian paling panjang 200 karakter." in refused.content.decode()


def test_a_province_s_counts_are_written_with_the_thousands_dot(people):
    # At a province's size the inbox read "1234 dosier menunggu Anda" and the archive "1234 dosier.",
    # the dashboard "1234 dosier sedang berjalan": an office writes 1.234, as the Nota does.
    bulk_dossiers(people, 1234)
    client = client_for(people, "kasubag")
    inbox = client.get("/").content.decode()
    assert "1.234 dosier menunggu Anda" in inbox
    assert "1.234 dosier." in client.get("/arsip/").content.decode()
    dashboard = client_for(people, "kabiro").get("/dasbor/").content.decode()
    assert "1.234 dosier sedang berjalan" in dashboard
    assert "1.234 tepat waktu" in dashboard
    assert "<strong>1.234</strong>Langkah 1" in dashboard
