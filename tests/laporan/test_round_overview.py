"""The bureau head's dashboard: the current round's agencies against the IKU stages, this year
beside last year, and the round's documents at a glance."""

import datetime
import re
from unittest import mock

from django.utils import timezone

from lib.dates import TZ
from tests.factories import client_for
from workflow import demo, sla
from workflow.models import Skpd, StepVisit
from workflow.steps import STEP_BY_NUMBER
from worktime.models import SpecialDay

# The session, the user with their roles; the tallies, the late and the oldest lists; the roles nobody
# holds (the steps waiting on nobody); the round and last year's; both rounds' counts; the round's
# agencies with their tables; while it waits on them, their officers (whom nobody acts for, whom no
# reminder reaches: tests/laporan/test_round_unheard.py); its documents; the notices.
DASHBOARD_QUERIES = 13


def section(page: str) -> str:
    start = page.index('id="putaran"')
    return page[start:page.index("</section>", start)]


def test_the_dashboard_shows_the_current_round_by_agency_and_stage(people):
    last = demo.open_dossier(people, 2026, "IKU 2026")
    demo.walk_to(last, people, "selesai")
    current = demo.open_dossier(people, 2027, "IKU 2027")
    demo.walk_to(current, people, STEP_BY_NUMBER[4].state)
    page = section(client_for(people, "kabiro").get("/dasbor/").content.decode())
    assert "Putaran 2027" in page and "IKU 2027" in page
    # Each invited agency has a row, and each Konsep sent shows as sent (the Bahan is not asked yet).
    for agency in current.invited.all():
        assert f"<td>{agency.nama_pendek}</td>" in page
    sent = current.submissions.filter(stage="konsep", submitted_at__isnull=False).count()
    invited = current.invited.count()
    assert 0 < sent < invited and page.count("iku-terkirim") == sent
    assert page.count("iku-tidak") == invited - sent
    # This year against last year: both columns, last year's round finished.
    assert "IKU 2026" in page and "Selesai (IKU ditetapkan)" in page
    konsep = re.search(r"<th scope=\"row\">Konsep IKU terkirim</th><td>([^<]+)</td><td>([^<]+)</td>", page)
    assert konsep and konsep.group(1) == f"{sent} dari {invited}"
    last_invited = last.invited.count()
    last_sent = last.submissions.filter(stage="konsep", submitted_at__isnull=False).count()
    assert konsep.group(2) == f"{last_sent} dari {last_invited}" and last_sent > 0
    assert re.search(rf"<th scope=\"row\">SKPD diundang</th><td>{invited}</td><td>{last_invited}</td>", page)
    # A stay past its due moment counts for its round only; last year's finished on time.
    long_ago = timezone.now() - datetime.timedelta(days=30)
    StepVisit.objects.filter(dossier=current, left_at__isnull=True).update(entered_at=long_ago)
    sla.reschedule_open()
    page = section(client_for(people, "kabiro").get("/dasbor/").content.decode())
    assert '<th scope="row">Langkah melewati Waktu baku</th><td>1</td><td>0</td>' in page
    # The round's documents, each once, newest of its kind, linked.
    assert page.count("Undangan workshop</a>") == 1 and "/dokumen/" in page


def test_with_no_round_last_year_the_dashboard_says_so(people):
    demo.open_dossier(people, 2030, "IKU 2030")
    page = section(client_for(people, "kabag").get("/dasbor/").content.decode())
    assert "Tidak ada putaran IKU 2029 untuk dibandingkan." in page


def test_without_any_round_the_dashboard_still_answers(people):
    response = client_for(people, "kabag").get("/dasbor/")
    assert response.status_code == 200 and 'id="putaran"' not in response.content.decode()


def test_the_round_reads_its_agencies_and_their_submissions_in_one_query(people):
    # The round's table reads plain values of the invited agencies joined to their submissions:
    # one query, however many agencies sent, not the agencies and then their submissions' models.
    current = demo.open_dossier(people, 2027, "IKU 2027")
    demo.walk_to(current, people, STEP_BY_NUMBER[4].state)
    client = client_for(people, "kabiro")
    client.get("/dasbor/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = client.get("/dasbor/").content.decode()
    assert page.count("iku-terkirim") == current.submissions.filter(submitted_at__isnull=False).count() > 0
    # (The signed-in user comes with their agency, and the comparison counts the agencies taking
    # part: neither reads the round's agencies.)
    agencies = [q["sql"] for q in seen if '"workflow_skpd"' in q["sql"] and '"workflow_user"' not in q["sql"]
                and 'FROM "workflow_dossier" d' not in q["sql"]]
    assert len(agencies) == 1 and "workflow_ikusubmission" in agencies[0], agencies
    # This year's and last year's columns count their invited agencies, sent tables and late stays
    # in one query for both rounds, not in queries per round, per stage or per count.
    counted = [q["sql"] for q in seen if "COUNT(*)" in q["sql"] and ("workflow_ikusubmission" in q["sql"]
                                                                      or "workflow_stepvisit" in q["sql"])]
    assert len(counted) == 1 and all(table in counted[0] for table in (
        "workflow_ikusubmission", "workflow_stepvisit", "workflow_dossier_invited")), counted
    assert len(seen) == DASHBOARD_QUERIES


def test_deactivating_an_agency_leaves_last_years_closed_round_as_it_closed(people):
    last = demo.open_dossier(people, 2026, "IKU 2026")
    demo.walk_to(last, people, "selesai")
    current = demo.open_dossier(people, 2027, "IKU 2027")
    demo.walk_to(current, people, STEP_BY_NUMBER[4].state)
    gone = last.submissions.filter(stage="konsep", submitted_at__isnull=False).first().skpd
    invited, sent = last.invited.count(), last.submissions.filter(stage="konsep", submitted_at__isnull=False).count()
    running = current.invited.count()
    Skpd.objects.filter(pk=gone.pk).update(aktif=False)
    client = client_for(people, "kabiro")
    client.get("/dasbor/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        page = section(client.get("/dasbor/").content.decode())
    # The running round no longer counts the agency; last year's keeps whom it invited and who sent.
    assert re.search(rf"<th scope=\"row\">SKPD diundang</th><td>{running - 1}</td><td>{invited}</td>", page), page
    konsep = re.search(r"<th scope=\"row\">Konsep IKU terkirim</th><td>[^<]+</td><td>([^<]+)</td>", page)
    assert konsep.group(1) == f"{sent} dari {invited}"
    assert len(seen) == DASHBOARD_QUERIES


def test_the_round_is_compared_with_the_decree_in_force_and_names_it(people):
    decreed = demo.open_dossier(people, 2026, "IKU 2026")
    demo.walk_to(decreed, people, "selesai")
    # A revision of 2026 asked by the Governor, still running when 2027's round opens: what is in
    # force for 2026 is the first round's decree, not the revision on its way.
    revising = demo.open_dossier(people, 2026, "Perubahan IKU 2026")
    demo.walk_to(revising, people, STEP_BY_NUMBER[3].state)
    current = demo.open_dossier(people, 2027, "IKU 2027")
    demo.walk_to(current, people, STEP_BY_NUMBER[2].state)
    client = client_for(people, "kabiro")
    page = section(client.get("/dasbor/").content.decode())
    assert "<h3>Dibanding tahun lalu</h3>" in page
    assert (f'<a href="/dosier/{decreed.pk}/">IKU 2026 (Keputusan Gubernur Nomor {decreed.nomor_kepgub})</a>'
            in page), page
    assert f"/dosier/{revising.pk}/" not in page
    assert re.search(r'<th scope="row">Posisi</th><td>[^<]+</td><td>Selesai \(IKU ditetapkan\)</td>', page)

    # A revision of 2027 after its decree: the round running is compared with 2027's decree in
    # force, which the heading and the column name, not with last year's.
    demo.walk_to(current, people, "selesai")
    revision = demo.open_dossier(people, 2027, "Perubahan IKU 2027")
    demo.walk_to(revision, people, STEP_BY_NUMBER[3].state)
    current.refresh_from_db()
    page = section(client.get("/dasbor/").content.decode())
    assert "Perubahan IKU 2027</a></h2>" in page
    assert "<h3>Dibanding keputusan IKU 2027 yang berlaku</h3>" in page, page
    assert "<th>IKU 2027 (putaran ini)</th>" in page
    assert (f'<a href="/dosier/{current.pk}/">IKU 2027 yang berlaku (Keputusan Gubernur Nomor '
            f'{current.nomor_kepgub})</a>') in page


def test_a_cuti_bersama_entered_late_is_counted_the_same_on_the_dashboard_as_on_the_dossier(people):
    # Step 5 (1 hari) begun Monday 18 May 2026 08.00 and finished Tuesday 11.00: late by three hours.
    # The admin then enters that Monday as cuti bersama: the stay began on a day off and finished on
    # time, as the dossier's page and the report say at once. The dashboard counted it by the due
    # moment the old calendar had stored.
    current = demo.open_dossier(people, 2027, "IKU 2027")
    demo.walk_to(current, people, STEP_BY_NUMBER[6].state)
    stay = StepVisit.objects.get(dossier=current, state=STEP_BY_NUMBER[5].state)
    stay.entered_at = datetime.datetime(2026, 5, 18, 8, 0, tzinfo=TZ)
    stay.left_at = datetime.datetime(2026, 5, 19, 11, 0, tzinfo=TZ)
    sla.schedule(stay).save()
    kabiro = client_for(people, "kabiro")
    assert ('<th scope="row">Langkah melewati Waktu baku</th><td>1</td>'
            in section(kabiro.get("/dasbor/").content.decode()))
    client_for(people, "admin").post("/admin/worktime/specialday/add/", {
        "date": "2026-05-18", "kind": SpecialDay.Kind.LIBUR, "note": "Cuti bersama (SKB)"})
    assert SpecialDay.objects.filter(date=datetime.date(2026, 5, 18)).exists()
    dossier_page = kabiro.get(f"/dosier/{current.pk}/").content.decode()
    assert "Terlambat" not in dossier_page
    assert ('<th scope="row">Langkah melewati Waktu baku</th><td>0</td>'
            in section(kabiro.get("/dasbor/").content.decode()))


def test_the_days_a_round_has_run_are_working_days_as_the_sops_are(people):
    # Opened Friday 8 May 2026 at 15.40; on Tuesday 19 May at 09.00 ten days have passed, of which
    # two weekends, Kenaikan (Thursday 14) and its cuti bersama (Friday 15) were days off: the round
    # has run on Friday 8, Monday 11 to Wednesday 13, Monday 18 and Tuesday 19, six working days.
    # "10" beside rows counting the SOP's Waktu in working days read as a round four days behind.
    demo.open_dossier(people, 2027, "IKU 2027", at=datetime.datetime(2026, 5, 8, 15, 40, tzinfo=TZ))
    with mock.patch("django.utils.timezone.now", return_value=datetime.datetime(2026, 5, 19, 9, 0, tzinfo=TZ)):
        page = section(client_for(people, "kabiro").get("/dasbor/").content.decode())
    assert '<th scope="row">Hari kerja sejak dibuka</th><td>6</td>' in page
