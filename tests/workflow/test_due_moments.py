"""Each stay's due moment is stored when it begins and worked out again when the calendar changes,
so the dashboard counts late and near work with one query over an index."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.dates import TZ
from tests.factories import client_for
from workflow import services, sla
from workflow.actions import Action
from workflow.models import Dossier, StepVisit
from workflow.steps import DI_GUBERNUR, STEP_BY_NUMBER
from worktime.models import SpecialDay, load_calendar


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_a_stay_stores_the_due_moment_its_clock_shows(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    visit = dossier.visits.get(left_at__isnull=True)
    clock = sla.current_clocks([dossier])[dossier.pk]
    assert visit.due_at == clock.due
    assert visit.entered_at < visit.near_at < visit.due_at


def open_moments(dossier):
    return dossier.visits.filter(left_at__isnull=True).values_list("due_at", "near_at").first()


@pytest.mark.parametrize("number", [1, 4, 6, 7, 9])
def test_the_dossier_carries_its_open_stays_due_moment(people, walk, number):
    # The inbox orders and the dashboard counts by the dossier's copies: they must be the open
    # stay's, after a return too.
    dossier = walk(STEP_BY_NUMBER[number].state, returns=1 if number >= 7 else 0)
    dossier.refresh_from_db()
    assert dossier.due_at is not None
    assert (dossier.due_at, dossier.near_at) == open_moments(dossier)


def test_a_stay_ended_by_an_action_stores_the_working_time_it_used(people, walk):
    # The report reads it; only a calendar change leaves it to be counted again.
    dossier = walk(STEP_BY_NUMBER[4].state)
    ended = dossier.visits.filter(left_at__isnull=False)
    assert ended.count() == 3
    assert not ended.filter(used_seconds__isnull=True).exists()


def test_an_untimed_or_closed_dossier_has_no_due_moment(people, walk):
    at_governor = walk(DI_GUBERNUR)
    cancelled = walk(STEP_BY_NUMBER[3].state)
    services.perform(cancelled, people["kabiro"], Action.BATALKAN, revision=cancelled.revision,
                     alasan="Dibatalkan untuk uji")
    for dossier in (at_governor, cancelled):
        dossier.refresh_from_db()
        assert dossier.due_at is None and dossier.near_at is None


def test_a_holiday_added_in_the_admin_moves_the_open_stays_due_moment(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    visit = dossier.visits.get(left_at__isnull=True)
    StepVisit.objects.filter(pk=visit.pk).update(entered_at=at("2026-03-09 08:00"))  # a Monday, two days of Waktu
    sla.reschedule_open()
    visit.refresh_from_db()
    assert visit.due_at == at("2026-03-11 08:00")
    client_for(people, "admin").post("/admin/worktime/specialday/add/", {
        "date": "2026-03-10", "kind": SpecialDay.Kind.LIBUR, "note": "Libur daerah"})
    assert SpecialDay.objects.filter(date=dt.date(2026, 3, 10)).exists()
    visit.refresh_from_db()
    assert visit.due_at == at("2026-03-12 08:00")  # the holiday no longer counts
    dossier.refresh_from_db()
    assert (dossier.due_at, dossier.near_at) == (visit.due_at, visit.near_at)


def test_a_calendar_edit_gives_each_of_many_open_stays_its_own_moments_in_a_statement_a_thousand(people):
    from tests.workflow.test_views_lists import bulk_dossiers

    made = bulk_dossiers(people, 1200)
    # Four entry moments, so that each stay's new moments are its own, not one value for all.
    entered = [at("2026-03-02 08:00"), at("2026-03-03 13:30"), at("2026-03-09 08:00"), at("2026-03-11 10:15")]
    for i, moment in enumerate(entered):
        StepVisit.objects.filter(dossier__in=made[i::4]).update(entered_at=moment)
    StepVisit.objects.filter(dossier__in=made).update(due_at=None, near_at=None, allowed_seconds=None)
    with CaptureQueriesContext(connection) as queries:
        assert sla.reschedule_open() == 1200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    # Two for the stays (1,000 and 200), one for the dossiers' copies of their moments.
    assert len(writes) == 3
    calendar = load_calendar()
    for visit in StepVisit.objects.filter(dossier__in=made[:8]):
        due, near, allowed = sla.timing(visit.state, visit.entered_at, calendar)
        assert (visit.due_at, visit.near_at, visit.allowed_seconds) == (due, near, int(allowed.total_seconds()))
    assert len({visit.due_at for visit in StepVisit.objects.filter(dossier__in=made)}) == 4
    assert set(Dossier.objects.filter(pk__in=[d.pk for d in made]).values_list("due_at", flat=True)) == \
        set(StepVisit.objects.filter(dossier__in=made).values_list("due_at", flat=True))


def test_the_stored_status_agrees_with_the_clocks(people, walk):
    made = [walk(STEP_BY_NUMBER[n].state, judul=f"Dosier {n}") for n in (2, 4, 7, 8)]
    long_ago = at("2026-03-02 08:00")
    StepVisit.objects.filter(dossier=made[0], left_at__isnull=True).update(entered_at=long_ago)
    sla.reschedule_open()
    now = at("2026-03-09 08:00")
    dossiers = Dossier.objects.filter(pk__in=[d.pk for d in made])
    counted = sla.status_counts(dossiers, now=now)
    clocks = sla.current_clocks(dossiers, now=now, calendar=load_calendar())
    assert counted == sla.counts(clocks.values())
    assert sla.overdue(dossiers, now=now)[0] == made[0]
    # The clocks a page shows read the stored moments; they are the ones worked out afresh.
    assert sla.current_clocks(dossiers, now=now) == clocks
    assert {clock.status for clock in clocks.values()} >= {sla.LATE, sla.OK}


def test_the_dashboard_costs_the_same_queries_for_few_or_many(people):
    from tests.workflow.test_views_lists import bulk_dossiers

    client = client_for(people, "kabag")

    def queries_with(count):
        made = bulk_dossiers(people, count)
        StepVisit.objects.filter(dossier__in=made[: count // 2]).update(entered_at=at("2026-03-02 08:00"))
        sla.reschedule_open()
        client.get("/dasbor/")  # the session's first use writes it
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/dasbor/").content.decode()
        return len(queries.captured_queries), page

    few, _ = queries_with(10)
    many, page = queries_with(90)
    assert many == few
    assert f"{(10 + 90) // 2}" in page  # the late tally counts every late stay, not only those shown


@pytest.mark.parametrize("number", [4, 7])
def test_the_dossier_links_its_open_stay_and_each_stay_knows_its_number(people, walk, number):
    # The dashboard's clocks read the open stay through the dossier, its number ("putaran ke-2")
    # as stored when it began: they must be what counting the stays gives.
    dossier = walk(STEP_BY_NUMBER[number].state, returns=1 if number >= 7 else 0)
    dossier.refresh_from_db()
    stays = list(dossier.visits.order_by("pk"))
    assert dossier.open_stay == next(s for s in stays if s.left_at is None)
    for stay in stays:
        assert stay.attempt == sum(1 for s in stays if s.state == stay.state and s.pk <= stay.pk)
    if number >= 7:
        assert dossier.open_stay.attempt == 2
    sla.copy_due_moments(Dossier.objects.filter(pk=dossier.pk))
    assert Dossier.objects.get(pk=dossier.pk).open_stay_id == dossier.open_stay_id
