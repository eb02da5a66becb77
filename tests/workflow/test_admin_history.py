"""The admin's history at a province's scale: its search reads the log by its own indexes, and a busy
dossier's admin page lists its latest events with a link to the rest."""

import re

import pytest
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import is_postgres
from workflow.actions import ACTION_LABELS, CREATE, Action
from workflow.admin import dossier as dossier_admin
from workflow.models import AuditEvent, Dossier

HISTORY = "/admin/workflow/auditevent/"


def searched(client, q):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(HISTORY, {"q": q})
    assert page.status_code == 200
    return page, [query["sql"] for query in queries.captured_queries]


def viewed(dossier, notes):
    AuditEvent.objects.bulk_create([
        AuditEvent(dossier=dossier, actor_label="Sistem (uji)", action=Action.LIHAT, to_state=dossier.state,
                   note=note) for note in notes])


@pytest.mark.parametrize("events", [2, 60])
def test_the_history_search_finds_a_dossiers_events_by_its_title_or_decree_number_without_joining_it(
        admin_client, people, dossier, walk, events):
    # The search joined the dossiers to the whole log to match their titles: every word read all
    # 200,000 events, for the count, the date drill-down and the rows each (1.3 to 3 seconds a page).
    # The dossiers a word names are now found first; the decree number finds them too.
    other = walk("langkah_2", judul="Ronde lain")
    viewed(other, [f"Dilihat {n}" for n in range(events)])
    Dossier.objects.filter(pk=dossier.pk).update(nomor_kepgub="100.3.3.2/321/HK/2027")
    admin_client.get(HISTORY)  # the first look saves the new session and caches the content types
    page, sql = searched(admin_client, "Ronde lain")
    assert page.context["cl"].result_count == other.events.count() > events
    of_the_log = [q for q in sql if '"workflow_auditevent"' in q]
    # The title matched in the log's own queries: `"judul" LIKE` on SQLite, `UPPER("judul"::text) LIKE` on PostgreSQL.
    assert of_the_log and not [q for q in of_the_log if re.search(r'"workflow_dossier"\."judul"(::text\))? LIKE', q)]
    # One query for the dossiers each word names; none more with the log's size.
    assert len(sql) == 11, sql
    page, _ = searched(admin_client, "321/HK")
    assert page.context["cl"].result_count == dossier.events.count() > 0


def test_the_history_search_still_finds_what_each_word_names_anywhere(admin_client, people, dossier, walk):
    other = walk("langkah_2", judul="Ronde lain")
    viewed(other, ["Ronde diperiksa ulang"])
    viewed(dossier, ["Diperiksa Kabag"])
    # One word in the dossier's title, the other in the note: the event is found.
    page, _ = searched(admin_client, "lain diperiksa")
    assert [event.note for event in page.context["cl"].result_list] == ["Ronde diperiksa ulang"]
    page, _ = searched(admin_client, '"Diperiksa Kabag"')
    assert [event.note for event in page.context["cl"].result_list] == ["Diperiksa Kabag"]


def test_a_word_most_dossiers_hold_is_asked_in_the_query_not_listed(admin_client, people, dossier, walk, monkeypatch):
    other = walk("langkah_2", judul="Ronde lain 2027")
    monkeypatch.setattr(dossier_admin, "NAMED_LISTED", 1)
    page, sql = searched(admin_client, "2027")
    assert page.context["cl"].result_count == AuditEvent.objects.filter(dossier__in=[dossier, other]).count()
    assert any(" IN (SELECT" in q and '"workflow_auditevent"' in q for q in sql)


def test_the_history_search_of_a_note_reads_its_trigram_index_on_postgresql(admin_client, people, dossier):
    # Without it a word of a note read the whole log (migration 0036 says the cost).
    if not is_postgres():
        pytest.skip("SQLite reads its few hundred events whole")
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get(HISTORY, {"q": "perbaikan"})
    request.user = people["admin"]
    listed = admin.site._registry[AuditEvent].get_changelist_instance(request).queryset.order_by()
    sql, params = listed.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database is too small for the planner to choose an index by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "riwayat_catatan_trgm" in plan and "riwayat_pelaku_trgm" in plan, plan


def dossier_page(client, dossier):
    # Counted at the second look: the first saves the new session and caches the content types.
    client.get(f"/admin/workflow/dossier/{dossier.pk}/change/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/admin/workflow/dossier/{dossier.pk}/change/")
    assert page.status_code == 200
    return page.content.decode(), len(queries.captured_queries)


@pytest.mark.parametrize("events", [30, 300])
def test_a_busy_dossiers_admin_page_lists_its_latest_events_and_links_the_rest(admin_client, people, dossier, events):
    # The page listed every event of the dossier: hundreds of lines at the head of a busy one.
    viewed(dossier, [f"Dilihat ke-{n}" for n in range(events)])
    total = dossier.events.count()
    text, queries = dossier_page(admin_client, dossier)
    assert f" Dilihat ke-{events - 1}<" in text and f" Dilihat ke-{events - 20}<" in text
    assert f" Dilihat ke-{events - 21}<" not in text and ACTION_LABELS[CREATE] not in text
    earlier = (f'{total - 20} catatan sebelumnya tidak ditampilkan di sini: <a href="{HISTORY}?dossier={dossier.pk}">'
               f"lihat seluruh riwayat dosier ini ({total} catatan)</a>")
    assert earlier in text
    # The same queries for 30 events or 300.
    assert queries == 14
    listed = admin_client.get(HISTORY, {"dossier": dossier.pk})
    assert listed.context["cl"].result_count == total
    # The list names whose history it is, and can be cleared.
    assert str(dossier) in listed.content.decode() and "Hapus semua penyaringan" in listed.content.decode()


def test_a_quiet_dossiers_admin_page_lists_its_whole_history(admin_client, people, dossier):
    text, _ = dossier_page(admin_client, dossier)
    assert ACTION_LABELS[CREATE] in text and "catatan sebelumnya" not in text


def test_staff_who_may_not_open_the_history_list_are_told_the_count_without_a_link(people, dossier):
    viewed(dossier, [f"Dilihat ke-{n}" for n in range(30)])
    kasubag = people["kasubag"]
    kasubag.is_staff = True
    kasubag.save()
    kasubag.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client = Client()
    client.force_login(kasubag)
    text, _ = dossier_page(client, dossier)
    total = dossier.events.count()
    assert f"{total - 20} catatan sebelumnya tidak ditampilkan di sini (seluruhnya {total} catatan)." in text
    assert f"?dossier={dossier.pk}" not in text


@pytest.mark.parametrize("asked", ["abc", "99999999999999999999", "١"])
def test_a_history_filter_by_a_dossier_that_is_no_number_is_refused_as_a_wrong_filter(admin_client, people, asked):
    page = admin_client.get(HISTORY, {"dossier": asked})
    assert page.status_code == 302 and page.url.endswith(f"?{ERROR_FLAG}=1")
