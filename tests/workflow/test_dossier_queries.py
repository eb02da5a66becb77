"""The dossier page reads what it shows in a fixed number of queries: more documents (uploaded,
made here, signed) and a decree being made by the worker cost no query each."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iku.models import IkuSubmission
from naskah.models import RenderJob
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.models import Skpd, User
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, DocKind


def _page_at_step(people, walk, number=6):
    """A dossier at step `number`, the Kasubag's client, its page's URL, and the queries of a second
    view of the page (the first warms the caches)."""
    dossier = walk(STEP_BY_NUMBER[number].state)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/"
    kasubag.get(url)
    with CaptureQueriesContext(connection) as seen:
        assert kasubag.get(url).status_code == 200
    return dossier, kasubag, url, seen.captured_queries


def test_the_dossier_page_costs_the_same_queries_for_more_documents_and_a_job(people, walk, django_assert_num_queries):
    dossier, kasubag, url, few = _page_at_step(people, walk)
    # Read now: each request the client makes empties the connection's query log.
    baseline = len(few)
    for _ in range(3):
        generate(kasubag, dossier, DocKind.NOTA_DINAS)
        demo.upload(dossier, people["staf"], DocKind.LAINNYA)
        dossier.refresh_from_db()
    RenderJob.objects.create(dossier=dossier, kind=DocKind.DRAFT_KEPGUB, tujuan=RenderJob.Purpose.BUAT,
                             pemohon=people["kasubag"], keadaan=dossier.state)
    with django_assert_num_queries(baseline + 2):
        page = kasubag.get(url).content.decode()
    # The two more describe the job: how long the last like one took, how many wait before it.
    assert "sedang disiapkan" in page and page.count("Nota Dinas") >= 3


def _read_from(sql: str) -> str:
    """The table a SELECT reads its rows from: its outermost FROM, past any subquery among its
    columns (the dossier's "has it any meeting" is asked in the dossier's own query), or the table
    a derived table in that FROM reads."""
    depth = 0
    for at, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", at):
            rest = sql[at + len(" FROM "):]
            if rest.startswith("("):  # a derived table (the badge's count stopping at 100): what it reads
                return _read_from(rest[1:])
            return re.match(r'"(\w+)"', rest).group(1)
    raise AssertionError(sql)


# At step 5 the Kasubag's page also tells whether the meeting it needs is recorded: none is yet,
# and the page knows it from the dossier's own row. By step 6 one was, and is read once.
@pytest.mark.parametrize("number, meeting_reads", [(5, 0), (6, 1)])
def test_the_dossier_page_reads_each_record_once(people, walk, number, meeting_reads):
    assert STEP_BY_NUMBER[5].min_meetings
    dossier, kasubag, url, seen = _page_at_step(people, walk, number)
    read = [_read_from(q["sql"]) for q in seen if q["sql"].startswith("SELECT")]
    # The stays feed both the diagram and the timeline's clocks; the documents and the meetings
    # both their lists and what the step still lacks (its Kelengkapan, Output and meetings); the
    # unread badge joins the notice preference into its count (a NOT EXISTS, no query of its own).
    assert read.count("workflow_stepvisit") == 1
    assert read.count("workflow_document") == 1
    assert read.count("workflow_meeting") == meeting_reads == dossier.meetings.count()
    assert read.count("notices_notice") == 1 and "notices_noticepreference" not in read
    # No disposisi was given: their (empty) list is not read either.
    assert "workflow_disposition" not in read and not dossier.dispositions.exists()
    # The invited agencies and their submissions, in one query.
    assert read.count("workflow_skpd") == 1 and "workflow_ikusubmission" not in read
    if number == 5:
        assert "Belum ada rapat yang dicatat pada langkah 5" in kasubag.get(url).content.decode()


@pytest.mark.parametrize("username", ["kasubag", "dinkes"])
def test_pages_of_one_dossier_read_the_invited_agencies_only_where_they_list_them(people, walk, username):
    # The bureau's staff are never asked about invitations; an agency's is known from the scope
    # that found the dossier. The dossier page lists the agencies (its round table) and reads them.
    dossier = walk(STEP_BY_NUMBER[5].state)
    demo.submit_iku(dossier, people["dinkes"], "Konsep")
    client = client_for(people, username)
    for path, lists in ((f"/dosier/{dossier.pk}/iku/konsep/", False), (f"/dosier/{dossier.pk}/", True)):
        client.get(path)
        with CaptureQueriesContext(connection) as seen:
            page = client.get(path).content.decode()
        assert "Dinas Kesehatan" in page
        # The table each query reads from (the user's agency and the IKU table's agencies come
        # joined to the user and to the submissions).
        tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in seen if q["sql"].startswith("SELECT")]
        read = [t for t in tables if t in ('"workflow_skpd"', '"workflow_dossier_invited"')]
        assert len(read) == (1 if lists else 0), tables


@pytest.mark.parametrize("action", ["selesaikan", "kembalikan"])
def test_an_action_form_costs_the_same_queries_for_few_and_many_invited_agencies(people, walk, action):
    # The form asks the policy about the dossier, never the invited agencies one by one.
    dossier = walk(STEP_BY_NUMBER[7].state)
    client = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/aksi/{action}/"
    assert client.get(url).status_code == 200
    dossier.invited.set(Skpd.objects.all()[:1])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    dossier.invited.set(Skpd.objects.all())
    assert dossier.invited.count() > 20
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many]


@pytest.mark.parametrize("number", [3, 5])
def test_the_round_asks_for_the_agencies_officers_once(people, walk, number, django_assert_num_queries):
    # At the steps the agencies send, the page says whom a reminder reaches and which agencies nobody
    # acts for: both from one read of their officers, however many agencies are invited.
    dossier = walk(STEP_BY_NUMBER[number].state)
    invited = [people["dinkes"].skpd, people["dinsos"].skpd,
               *Skpd.objects.active().exclude(pk__in=[people["dinkes"].skpd_id, people["dinsos"].skpd_id])[:28]]
    dossier.invited.set(invited)
    IkuSubmission.objects.filter(dossier=dossier).delete()  # none has sent: all thirty are awaited
    officers = User.objects.filter(is_active=True, role_set__role=Role.SKPD, skpd__in=invited)
    staffed = officers.values("skpd").distinct().count()
    mailed = officers.exclude(email="").values("skpd").distinct().count()
    assert 0 < mailed <= staffed < 30
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/"
    kasubag.get(url)
    with CaptureQueriesContext(connection) as seen, django_assert_num_queries(10):
        page = kasubag.get(url).content.decode()
    assert len([q for q in seen if q["sql"].startswith('SELECT DISTINCT "workflow_user"."skpd_id"')]) == 1
    assert f"Ingatkan {mailed} SKPD yang belum mengirim" in page
    assert f"{30 - staffed} SKPD yang diundang belum punya pengguna aktif berperan SKPD" in page


def test_the_new_dossier_form_reads_the_agencies_once(people, django_assert_num_queries):
    kasubag = client_for(people, "kasubag")
    kasubag.get("/dosier/baru/")
    with CaptureQueriesContext(connection) as seen, django_assert_num_queries(7):
        page = kasubag.get("/dosier/baru/").content.decode()
    read = [_read_from(q["sql"]) for q in seen if q["sql"].startswith("SELECT")]
    # The boxes, their groups, which are ticked and which nobody acts for, from one list.
    assert read.count("workflow_skpd") == 1, read
    assert page.count('name="invited"') == Skpd.objects.active().count()
    assert page.count('name="invited" value') == page.count("checked")
