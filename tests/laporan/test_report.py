"""The working-time report on a fixture whose answers are worked out by hand."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache

from lib.dates import TZ
from workflow import sla
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.steps import state_of

MONDAY = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
# Step 8 has 30 minutes. Five finished stays: 10, 20, 30 (on the dot), 40 and 50 minutes.
STEP_8_MINUTES = [10, 20, 30, 40, 50]


@pytest.fixture
def year_2027(people):
    kasubag, kabiro = people["kasubag"], people["kabiro"]
    for minutes in STEP_8_MINUTES:
        d = Dossier.objects.create(tahun=2027, judul=f"IKU {minutes}", created_by=kasubag)
        left = MONDAY + dt.timedelta(minutes=minutes)
        StepVisit.objects.create(dossier=d, state=state_of(8), entered_at=MONDAY, left_at=left)
        AuditEvent.objects.create(dossier=d, at=left, actor=kabiro, actor_label="Dr. H. Syarif Abdullah, M.Si. (Kabiro)",
                                  action="selesaikan", from_state=state_of(8), to_state=state_of(9))
    waiting = Dossier.objects.create(tahun=2027, judul="IKU menunggu", created_by=kasubag)
    Dossier.objects.filter(pk=waiting.pk).update(state=state_of(6))
    StepVisit.objects.create(dossier=waiting, state=state_of(6), entered_at=MONDAY)
    sla.copy_due_moments(Dossier.objects.filter(pk=waiting.pk))  # as a move to step 6 would
    other_year = Dossier.objects.create(tahun=2026, judul="IKU tahun lain", created_by=kasubag)
    StepVisit.objects.create(dossier=other_year, state=state_of(8), entered_at=MONDAY,
                             left_at=MONDAY + dt.timedelta(hours=5))


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_figures_per_step(client, people, year_2027):
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    assert page.status_code == 200
    rows = {r["step"].number: r for r in page.context["rows"]}
    eight = rows[8]
    assert (eight["n"], eight["running"], eight["late"]) == (5, 0, 2)
    assert eight["median"] == dt.timedelta(minutes=30)
    assert eight["p90"] == dt.timedelta(minutes=46)  # 40 + 0.6 x (50 - 40)
    assert eight["on_time"] == 60.0
    assert round(eight["median_pct"], 1) == 100.0
    assert round(eight["p90_pct"], 1) == 153.3
    assert (rows[6]["n"], rows[6]["running"], rows[6]["late"], rows[6]["median"]) == (0, 1, 1, None)
    html = page.content.decode()
    assert "30 menit" in html and "60,0%" in html
    assert "<svg" in html


def test_a_90th_percentile_of_fewer_than_ten_finished_stays_is_not_shown(client, people, year_2027):
    # Five stays at step 8: "nine in ten finished within 46 minutes" would be read off two stays. The
    # page, its chart and the CSV show none; the note says from how many stays it is shown.
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    eight = {r["step"].number: r for r in page.context["rows"]}[8]
    assert eight["p90_label"] == "-"
    html = page.content.decode()
    assert "46 menit" not in html and "(153%)" not in html
    assert "Persentil 90 153%" not in html and "100% / 153%" not in html
    assert "ditampilkan bila sedikitnya 10 langkah selesai" in html
    rows = list(csv.reader(io.StringIO(client.get("/laporan/csv/?tahun=2027").content.decode("utf-8-sig")), delimiter=";"))
    assert rows[8][5] == "" and rows[8][7] == ""


def test_ten_finished_stays_show_their_90th_percentile(client, people):
    # Step 7 (2 jam): stays of 10, 20, ... 100 minutes; the 90th percentile is 90 + 0.1 x 10 = 91 minutes.
    for minutes in range(10, 101, 10):
        d = Dossier.objects.create(tahun=2027, judul=f"IKU {minutes}", created_by=people["kasubag"])
        StepVisit.objects.create(dossier=d, state=state_of(7), entered_at=MONDAY,
                                 left_at=MONDAY + dt.timedelta(minutes=minutes))
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    seven = {r["step"].number: r for r in page.context["rows"]}[7]
    assert (seven["n"], seven["p90"], seven["p90_label"]) == (10, dt.timedelta(minutes=91), "1 jam 31 menit")
    html = page.content.decode()
    assert "1 jam 31 menit" in html and "Persentil 90 76%" in html
    rows = list(csv.reader(io.StringIO(client.get("/laporan/csv/?tahun=2027").content.decode("utf-8-sig")), delimiter=";"))
    assert rows[7][4:8] == ["55", "91", "45,8", "75,8"]


def test_late_steps_name_who_held_them(client, people, year_2027):
    page = get(client, people["kasubag"], "/laporan/?tahun=2027")
    late = [(r["dossier"].judul, r["clock"].step.number, r["holder"]) for r in page.context["late"]]
    assert late == [
        # Step 6 waits on the Kasubag, who finishes it, and the Staf, who prepares its Nota and draft.
        ("IKU menunggu", 6, "masih menunggu: Rina Marlina, S.E., M.Si., Andi Saputra, S.Kom."),
        ("IKU 40", 8, "Dr. H. Syarif Abdullah, M.Si. (Kabiro)"),
        ("IKU 50", 8, "Dr. H. Syarif Abdullah, M.Si. (Kabiro)"),
    ]
    assert "Senin, 9 Maret 2026 pukul 09.30" in page.content.decode()
    # Read again from what the process keeps: the same stays, the same holders.
    again = get(client, people["kabiro"], "/laporan/?tahun=2027")
    assert [(r["dossier"].judul, r["clock"].step.number, r["holder"]) for r in again.context["late"]] == late


def test_a_running_late_step_names_who_stands_in_today_and_never_an_inactive_officials_stand_in(
        client, people, year_2027):
    from django.utils import timezone

    from workflow.models import Delegation

    today = timezone.localdate()
    Delegation.objects.create(official=people["kasubag"], delegate=people["tim"], role="kasubag", kind="plh",
                              starts_on=today, ends_on=today)
    Delegation.objects.create(official=people["kabag"], delegate=people["staf"], role="kasubag", kind="plh",
                              starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=1))

    def waiting_on():
        cache.clear()
        late = get(client, people["kabiro"], "/laporan/?tahun=2027").context["late"]
        return next(r["holder"] for r in late if r["dossier"].judul == "IKU menunggu")

    staf, tim = people["staf"].display_name, people["tim"].display_name
    assert waiting_on() == f"masih menunggu: Rina Marlina, S.E., M.Si., {staf}, {tim}"
    # The Kasubag leaves: neither she nor the one standing in for her is waited on.
    people["kasubag"].is_active = False
    people["kasubag"].save()
    assert waiting_on() == f"masih menunggu: {staf}"


def test_csv_export_of_the_figures(client, people, year_2027):
    response = get(client, people["kabiro"], "/laporan/csv/?tahun=2027")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="laporan-waktu-2027.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["langkah", "kegiatan", "waktu baku", "selesai", "median (menit)"]
    # Of five stays no 90th percentile (test_a_90th_percentile_of_fewer_than_ten_finished_stays_is_not_shown).
    assert rows[8] == ["8", "Kabiro memeriksa dan menandatangani Nota", "30 menit", "5", "30", "", "100,0",
                       "", "60,0", "0", "2"]
    assert len(rows) == 10


def test_csv_export_of_the_late_list(client, people, year_2027):
    response = get(client, people["kabiro"], "/laporan/csv/?tahun=2027&isi=terlambat")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["IKU menunggu", "IKU 40", "IKU 50"]
    assert rows[2][6:] == ["40", "30", "Dr. H. Syarif Abdullah, M.Si. (Kabiro)"]


def test_another_year_has_its_own_figures(client, people, year_2027):
    page = get(client, people["kabag"], "/laporan/?tahun=2026")
    eight = {r["step"].number: r for r in page.context["rows"]}[8]
    assert (eight["n"], eight["median"], eight["on_time"]) == (1, dt.timedelta(hours=4), 0.0)


def test_the_latest_year_is_shown_by_default_and_a_bad_one_is_refused(client, people, year_2027):
    assert get(client, people["kabag"], "/laporan/").context["year"] == 2027
    page = get(client, people["kabag"], "/laporan/?tahun=duaribu")
    assert page.context["year"] == 2027
    assert "Tahun &#x27;duaribu&#x27; tidak sah" in page.content.decode()



@pytest.mark.parametrize("year", ["²", "２０２７", "٢٠٢٧", "0002027", "-2027"])
def test_digits_that_are_not_a_plain_year_are_refused_not_a_server_error(client, people, year_2027, year):
    page = get(client, people["kabag"], f"/laporan/?tahun={year}")
    assert page.status_code == 200
    assert page.context["year"] == 2027
    assert "tidak sah" in page.content.decode()

@pytest.mark.parametrize("username", ["staf", "tim", "dinkes", "admin"])
def test_only_kasubag_kabag_and_kabiro_see_the_report(client, people, username):
    assert get(client, people[username], "/laporan/").status_code == 403
    assert client.get("/laporan/csv/").status_code == 403


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, db):
    assert client.get("/laporan/").status_code == 302


def test_a_step_done_outside_office_hours_reads_zero_minutes_not_a_dash(client, people):
    friday_evening = dt.datetime(2026, 3, 13, 19, 0, tzinfo=TZ)
    d = Dossier.objects.create(tahun=2027, judul="IKU malam", created_by=people["kasubag"])
    StepVisit.objects.create(dossier=d, state=state_of(7), entered_at=friday_evening,
                             left_at=friday_evening + dt.timedelta(minutes=20))
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    seven = {r["step"].number: r for r in page.context["rows"]}[7]
    assert seven["median"] == dt.timedelta(0)
    assert seven["median_label"] == "0 menit"


def test_a_long_late_list_shows_its_first_rows_and_the_csv_has_them_all(client, people, year_2027, monkeypatch):
    monkeypatch.setattr("laporan.views.LATE_SHOWN", 2)
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    assert [r["dossier"].judul for r in page.context["late"]] == ["IKU menunggu", "IKU 40"]
    assert "Ditampilkan 2 dari 3 langkah terlambat" in page.content.decode()
    rows = list(csv.reader(io.StringIO(client.get("/laporan/csv/?tahun=2027&isi=terlambat").content.decode("utf-8-sig")),
                           delimiter=";"))
    assert len(rows) == 4


def test_an_ended_stay_keeps_its_working_time_until_the_calendar_changes(client, people, year_2027):
    from worktime.models import SpecialDay

    stay = StepVisit.objects.get(dossier__judul="IKU 40")
    assert (stay.used_seconds, stay.allowed_seconds) == (40 * 60, 30 * 60)
    before = [r["dossier"].judul for r in get(client, people["kabag"], "/laporan/?tahun=2027").context["late"]]
    assert "IKU 40" in before
    def on_the_dossier_page():
        # The dossier page's timeline reads the stay as the report does.
        page = get(client, people["kabag"], f"/dosier/{stay.dossier_id}/")
        (clock,) = [c for row in page.context["rows"] for c in row.clocks if c.visit_id == stay.pk]
        return clock.used, clock.status

    assert on_the_dossier_page() == (dt.timedelta(minutes=40), sla.LATE)
    # A holiday declared on that Monday after the fact: the stay used no working time at all.
    SpecialDay.objects.create(date=MONDAY.date(), kind=SpecialDay.Kind.LIBUR, note="Cuti bersama")
    assert on_the_dossier_page() == (dt.timedelta(0), sla.OK)
    stay.refresh_from_db()
    assert stay.used_seconds is None
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    eight = {r["step"].number: r for r in page.context["rows"]}[8]
    assert (eight["n"], eight["median"], eight["late"]) == (5, dt.timedelta(0), 0)
    # Nor is it late any more: its due moment moved with the calendar before the late list was read.
    assert "IKU 40" not in [r["dossier"].judul for r in page.context["late"]]
    stay.refresh_from_db()
    assert stay.used_seconds == 0


def test_the_report_asks_the_same_queries_for_a_few_stays_or_many(client, people, year_2027):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["kabag"])
    client.get("/laporan/?tahun=2027")  # the process reads its calendar once
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get("/laporan/?tahun=2027")
    for n in range(30):
        d = Dossier.objects.create(tahun=2027, judul=f"IKU tambahan {n}", created_by=people["kasubag"])
        StepVisit.objects.create(dossier=d, state=state_of(8), entered_at=MONDAY, left_at=MONDAY + dt.timedelta(hours=1))
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = client.get("/laporan/?tahun=2027")
    assert page.context["late_total"] == 33
    assert len(many) == len(few)
    # With nothing kept: the session, the user with their roles, the years, where the year's dossiers
    # stand, the stays to count and the ended ones, the two late walks and the shown stays, who
    # moved them on, the officials a running stay waits on (with their roles), and the unread badge.
    assert len(few) == 12, [q["sql"][:80] for q in few]


def test_the_years_figures_are_read_again_only_when_a_stay_ends(client, people, year_2027):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["kabag"])
    with CaptureQueriesContext(connection) as first:
        before = client.get("/laporan/?tahun=2027").context["rows"]
    with CaptureQueriesContext(connection) as again:
        assert client.get("/laporan/?tahun=2027").context["rows"] == before
    # The stays are not read a second time while none ended, nor looked over for uncounted ones.
    assert len(again) < len(first)
    uncounted = [q for q in first if '"used_seconds" IS NULL' in q["sql"]]
    assert uncounted and not [q for q in again if '"used_seconds" IS NULL' in q["sql"]]
    step8 = next(r for r in before if r["step"].number == 8)
    d = Dossier.objects.create(tahun=2027, judul="IKU susulan", created_by=people["kasubag"])
    StepVisit.objects.create(dossier=d, state=state_of(8), entered_at=MONDAY, left_at=MONDAY + dt.timedelta(minutes=5))
    after = client.get("/laporan/?tahun=2027").context["rows"]
    assert next(r for r in after if r["step"].number == 8)["n"] == step8["n"] + 1


def test_the_states_sort_as_their_steps_so_the_late_list_can_walk_an_index():
    # figures.late_stays orders each kind of late stay by the state's name and merges by number.
    from workflow.steps import STEPS

    assert sorted(step.state for step in STEPS) == [step.state for step in STEPS]


def test_the_late_list_merges_ended_and_running_stays_by_step_then_entry(client, people, year_2027):
    # A stay still running at step 6 since Monday, late now, comes before the ended stays at step 8,
    # though it entered at the same moment; among those, the earlier entry first.
    d = Dossier.objects.create(tahun=2027, judul="IKU langkah 3", created_by=people["kasubag"])
    StepVisit.objects.create(dossier=d, state=state_of(3), entered_at=MONDAY + dt.timedelta(minutes=1),
                             left_at=MONDAY + dt.timedelta(days=20))
    late = get(client, people["kabag"], "/laporan/?tahun=2027").context["late"]
    assert [(row["clock"].step.number, row["dossier"].judul) for row in late] == [
        (3, "IKU langkah 3"), (6, "IKU menunggu"), (8, "IKU 40"), (8, "IKU 50")]


def test_the_kept_late_list_follows_time_new_stays_and_titles(people, year_2027):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from laporan import figures

    def shown(now):
        return [r["dossier"].judul for r in figures.build(people["kabag"], 2027, now=now, late_shown=50)["late"]]

    assert shown(MONDAY + dt.timedelta(minutes=1)) == ["IKU 40", "IKU 50"]
    # Time passes: the stay at step 6 runs past its due moment and joins the list.
    assert shown(timezone.now()) == ["IKU menunggu", "IKU 40", "IKU 50"]
    # A stay that ended late on a new dossier joins it too.
    d = Dossier.objects.create(tahun=2027, judul="IKU susulan", created_by=people["kasubag"])
    StepVisit.objects.create(dossier=d, state=state_of(8), entered_at=MONDAY, left_at=MONDAY + dt.timedelta(hours=2))
    assert shown(timezone.now()) == ["IKU menunggu", "IKU 40", "IKU 50", "IKU susulan"]
    # Nothing moved: the kept list is read, the late stays are not walked again, a new title shows.
    Dossier.objects.filter(judul="IKU 40").update(judul="IKU empat puluh")
    with CaptureQueriesContext(connection) as again:
        assert shown(timezone.now()) == ["IKU menunggu", "IKU empat puluh", "IKU 50", "IKU susulan"]
    assert not [q for q in again if '"left_at" >' in q["sql"]]


def test_a_stay_the_round_was_cancelled_in_is_not_a_finished_or_late_step(client, people, year_2027):
    """A round cancelled at step 8 after 45 minutes (past its 30): that stay was not finished, so it
    is not among the step's finished stays, nor a late step held by the Kabiro who cancelled it. Its
    earlier, finished stays still count."""
    kabiro = people["kabiro"]
    cut = MONDAY + dt.timedelta(minutes=45)
    d = Dossier.objects.create(tahun=2027, judul="IKU dibatalkan", created_by=people["kasubag"])
    Dossier.objects.filter(pk=d.pk).update(state="dibatalkan", closed_at=cut, alasan_batal="Diulang")
    StepVisit.objects.create(dossier=d, state=state_of(7), entered_at=MONDAY - dt.timedelta(hours=3),
                             left_at=MONDAY)
    StepVisit.objects.create(dossier=d, state=state_of(8), entered_at=MONDAY, left_at=cut)
    AuditEvent.objects.create(dossier=d, at=cut, actor=kabiro, actor_label="Dr. H. Syarif Abdullah, M.Si. (Kabiro)",
                              action="batalkan", from_state=state_of(8), to_state="dibatalkan")
    page = get(client, people["kabag"], "/laporan/?tahun=2027")
    rows = {r["step"].number: r for r in page.context["rows"]}
    assert (rows[8]["n"], rows[8]["late"], rows[8]["on_time"]) == (5, 2, 60.0)
    assert rows[7]["n"] == 1
    assert "IKU dibatalkan" not in [r["dossier"].judul for r in page.context["late"]]
    assert "IKU dibatalkan" not in get(client, people["kabag"], "/laporan/csv/?tahun=2027&isi=terlambat").content.decode()


def test_a_year_without_dossiers_shows_the_latest_and_says_so(client, people, year_2027):
    # A link kept from last January (?tahun=2030) or a typo: not a page of zeros headed 2030 reading
    # "no step late", with 2027 shown in the year list.
    page = get(client, people["kabiro"], "/laporan/?tahun=2030")
    assert page.context["year"] == 2027
    html = page.content.decode()
    assert "Belum ada dosier IKU tahun 2030; ditampilkan tahun 2027." in html
    assert "dosier tahun 2030" not in html
    assert '<option value="2027" selected>' in html


def test_a_csv_asked_for_a_bad_year_leaves_no_message_for_the_next_page(client, people, year_2027):
    response = get(client, people["kabiro"], "/laporan/csv/?tahun=duaribu")
    assert 'filename="laporan-waktu-2027.csv"' in response["Content-Disposition"]
    assert client.get("/laporan/csv/?tahun=2030")["Content-Disposition"].endswith('laporan-waktu-2027.csv"')
    later = client.get("/dasbor/").content.decode()
    assert "tidak sah" not in later and "Belum ada dosier IKU tahun" not in later


def test_before_the_first_dossier_the_report_says_there_is_nothing_yet(client, people):
    page = get(client, people["kabiro"], "/laporan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Belum ada dosier IKU" in html
    assert "Tidak ada langkah yang terlambat" not in html and 'id="ringkasan"' not in html


def test_the_page_says_on_time_counts_finished_steps_and_late_counts_running_ones_too(client, people, year_2027):
    # Step 6 reads "Selesai tepat waktu -" beside "Terlambat 1" (a stay still running past its due moment);
    # a Kabiro reading "100 % on time" beside "1 late" on another step is told why, in words.
    html = " ".join(get(client, people["kabiro"], "/laporan/?tahun=2027").content.decode().split())
    assert "<th>Selesai tepat waktu</th>" in html
    assert "kolom Terlambat menghitung juga langkah yang masih berjalan dan sudah melewati batas" in html
    assert "cuti bersama tidak" in html
    assert "interpolasi" not in html and "kunjungan" not in html


def test_the_dashboards_total_is_told_apart_with_the_dossiers_at_the_governors_desk(client, people, walk):
    # Two running dossiers, one at step 2 and one waiting for the Governor's signature (no Waktu): the
    # badges must add up to the total, not read "2 dosier: 1 tepat waktu, 0, 0".
    from workflow.steps import DI_GUBERNUR

    walk(state_of(2))
    walk(DI_GUBERNUR)
    html = " ".join(get(client, people["kabiro"], "/dasbor/").content.decode().split())
    assert "2 dosier sedang berjalan:" in html
    assert '<span class="badge ok">1 tepat waktu</span>' in html
    assert '<span class="badge">1 menunggu tanda tangan Gubernur (tanpa Waktu baku)</span>' in html


def test_a_late_step_of_days_reads_its_time_used_against_the_waktu_in_the_same_unit(client, people, year_2027):
    """The late list read "Terpakai 15 jam 50 menit dari 2 hari", where every other page reads the
    Waktu as the working time it allows ("dari 15 jam"), as the dossier's page does."""
    d = Dossier.objects.create(tahun=2027, judul="IKU lambat", created_by=people["kasubag"])
    StepVisit.objects.create(dossier=d, state=state_of(1), entered_at=MONDAY,
                             left_at=MONDAY + dt.timedelta(days=3))
    page = get(client, people["kabiro"], "/laporan/?tahun=2027")
    late = page.content.decode().split('id="terlambat"')[1]
    row = late.split("IKU lambat")[1].split("</tr>")[0]
    clock = next(r["clock"] for r in page.context["late"] if r["dossier"].pk == d.pk)
    assert clock.allowed_label.endswith("jam") and clock.used > clock.allowed
    assert f"{clock.used_label} dari {clock.allowed_label}" in row
    assert "dari 2 hari" not in row
    assert f"terpakai {clock.used_label} dari {clock.allowed_label}" in get(
        client, people["kabiro"], f"/dosier/{d.pk}/").content.decode()


def test_a_province_s_year_reads_its_counts_and_percents_with_the_thousands_dot(client, people):
    # 1,234 rounds whose step 9 (15 menit) took 3 jam 10 menit of working time each (the lunch hour not
    # counted): the summary read "1234" finished, "(1267%)" of the Waktu, "Ditampilkan 50 dari 1234
    # langkah terlambat"; an office writes 1.234.
    made = Dossier.objects.bulk_create([Dossier(tahun=2027, judul=f"IKU {n}", created_by=people["kasubag"])
                                        for n in range(1234)])
    StepVisit.objects.bulk_create([StepVisit(dossier=d, state=state_of(9), entered_at=MONDAY,
                                             left_at=MONDAY + dt.timedelta(minutes=250)) for d in made])
    html = get(client, people["kabag"], "/laporan/?tahun=2027").content.decode()
    nine = html.split("9. Diteruskan ke Asisten I")[1].split("</tr>")[0]
    assert '<td data-label="Selesai">1.234</td>' in nine
    assert "(1.267%)" in nine
    assert '<span class="badge late">1.234</span>' in nine
    assert "dari 1.234 langkah terlambat" in html
    assert "1.267% / 1.267%" in html
