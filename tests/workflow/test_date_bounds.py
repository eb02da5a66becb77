"""Dates that make sense: a meeting counts for a step only if held during its stay and already
past; whatever is stored, however extreme, never breaks a page."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import client_for
from workflow import demo
from workflow.forms import meeting_time_problem
from workflow.models import Meeting
from workflow.steps import STEP_BY_NUMBER

UTC = dt.timezone.utc
ENTERED = dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # on the minute, as the form takes it
NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
moments = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(UTC))


@given(moments)
def test_a_meeting_counts_only_if_held_during_the_steps_stay_and_not_in_the_future(held_at):
    problem = meeting_time_problem(held_at, ENTERED, NOW)
    assert (problem == "") == (ENTERED <= held_at <= NOW)
    if held_at > NOW:
        assert "masa depan" in problem
    elif held_at < ENTERED:
        assert "sebelum langkah ini dimulai" in problem


def test_a_meeting_dated_next_year_is_refused_beside_the_field_with_the_text_kept(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    future = (dossier.state_entered_at + dt.timedelta(days=400)).strftime("%Y-%m-%dT%H:%M")
    page = client_for(people, "staf").post(
        f"/dosier/{dossier.pk}/aksi/catat_rapat/",
        {"revision": dossier.revision, "state": dossier.state, "held_at": future, "tempat": "Aula Biro Kesra",
         "pimpinan": "Kabiro", "ringkasan": "Ringkasan yang panjang"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_held_at_error' in html and "tidak boleh di masa depan" in html
    assert "Ringkasan yang panjang" in html
    assert not dossier.meetings.exists()


@pytest.mark.parametrize("extreme", [dt.datetime(1, 1, 1, tzinfo=UTC), dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)])
def test_a_stored_extreme_meeting_date_never_breaks_a_page(people, walk, extreme):
    dossier = walk(STEP_BY_NUMBER[3].state)
    demo.prepare_step(dossier, people)
    Meeting.objects.filter(dossier=dossier).update(held_at=extreme)
    for username in ("kasubag", "dinkes"):
        client = client_for(people, username)
        for url in (f"/dosier/{dossier.pk}/", "/", "/arsip/"):
            assert client.get(url).status_code == 200, (username, url)
    assert client_for(people, "kabiro").get("/dasbor/").status_code == 200


days = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=60)
@given(day=days)
def test_a_decree_date_counts_only_between_the_dossiers_opening_and_today(people, dossier, day):
    from workflow.forms import DecreeForm

    form = DecreeForm({"nomor_kepgub": "100.3.3.1/1/HK/2027", "tanggal_kepgub": day.isoformat()}, dossier=dossier,
                      user=people["staf"])
    opened = timezone.localtime(dossier.created_at).date()
    assert form.is_valid() == (opened <= day <= timezone.localdate()), form.errors
    if day > timezone.localdate():
        assert "sesudah hari ini" in form.errors["tanggal_kepgub"][0]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=60)
@given(day=days)
def test_a_letter_is_dated_from_its_rounds_opening_to_a_year_ahead(people, dossier, day):
    from naskah.forms import UndanganForm

    posted = UndanganForm.posted_defaults(dossier) | {"tanggal_surat": day.isoformat()}
    bound = UndanganForm(posted, dossier=dossier)
    bound.is_valid()
    opened = timezone.localtime(dossier.created_at).date()
    assert ("tanggal_surat" not in bound.errors) == (opened <= day and (day - timezone.localdate()).days <= 366)
