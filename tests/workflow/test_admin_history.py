"""The admin's history at a province's scale: its search reads the log by its own indexes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import is_postgres
from workflow.actions import Action
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
