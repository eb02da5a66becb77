"""A delegation lasts a year at most, and on the officials' page starts today or later (only the
admin records one after the fact); one lying wholly on days off is kept, and said."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import client_for
from workflow import policy
from workflow.actions import Action
from workflow.models import Delegation, User
from workflow.steps import STEP_BY_NUMBER


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=40)
@given(start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date.today() + dt.timedelta(days=365)),
       days=st.integers(0, 2000))
def test_a_delegation_is_accepted_exactly_when_it_lasts_a_year_at_most(people, start, days):
    delegation = Delegation(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                            starts_on=start, ends_on=start + dt.timedelta(days=days))
    if days <= 366:
        delegation.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            delegation.full_clean()
        assert "paling lama satu tahun" in caught.value.message_dict["ends_on"][0]


def post(client, starts_on, ends_on, people):
    return client.post("/pelimpahan/", {
        "role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "dasar": "Cuti tahunan",
        "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
    })


def test_the_page_refuses_a_start_in_the_past_beside_the_field_and_keeps_the_rest(people):
    today = timezone.localdate()
    client = client_for(people, "kabag")
    page = post(client, today - dt.timedelta(days=3), today, people)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Tanggal mulai tidak boleh sebelum hari ini." in html and "Cuti tahunan" in html
    assert not Delegation.objects.exists()
    post(client, today, today + dt.timedelta(days=5), people)
    assert Delegation.objects.get().ends_on == today + dt.timedelta(days=5)


def test_the_page_refuses_more_than_a_year(people):
    today = timezone.localdate()
    page = post(client_for(people, "kabag"), today, today + dt.timedelta(days=400), people)
    assert "paling lama satu tahun" in page.content.decode()
    assert not Delegation.objects.exists()


@pytest.mark.parametrize("start", [dt.date(1, 1, 1), dt.date(9999, 12, 30)])
def test_a_stored_extreme_delegation_never_breaks_the_page(people, start):
    Delegation.objects.create(official=people["kabag"], delegate=people["staf"], role="kabag",
                              starts_on=start, ends_on=start + dt.timedelta(days=1))
    for username in ("kabag", "staf"):
        assert client_for(people, username).get("/pelimpahan/").status_code == 200


def test_the_official_ends_a_delegation_early_and_the_plh_can_act_no_more(people, walk):
    today = timezone.localdate()
    # Entered by the admin as a Tim member, who had no hand in the draft the Kabag reviews.
    running = Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role="kabag",
                                        starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5))
    dossier = walk(STEP_BY_NUMBER[7].state)
    assert policy.can(User.objects.get(pk=people["tim"].pk), Action.SELESAIKAN, dossier)
    kabag = client_for(people, "kabag")
    assert "Akhiri pelimpahan sekarang" in kabag.get("/pelimpahan/").content.decode()
    # Someone else may not end it, whatever URL they type.
    assert client_for(people, "staf").post(f"/pelimpahan/{running.pk}/akhiri/").status_code == 403
    done = kabag.post(f"/pelimpahan/{running.pk}/akhiri/", follow=True).content.decode()
    assert "diakhiri mulai hari ini" in done
    running.refresh_from_db()
    assert running.ends_on == today - dt.timedelta(days=1)
    assert not policy.can(User.objects.get(pk=people["tim"].pk), Action.SELESAIKAN, dossier)


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def test_a_delegation_wholly_on_days_off_is_kept_but_said(people):
    saturday = next_weekday(timezone.localdate(), 5)
    client = client_for(people, "kabag")
    page = client.post("/pelimpahan/", {
        "role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "dasar": "Cuti tahunan",
        "starts_on": saturday.isoformat(), "ends_on": (saturday + dt.timedelta(days=1)).isoformat(),
    }, follow=True)
    html = page.content.decode()
    assert Delegation.objects.count() == 1
    assert "Semua tanggal pelimpahan ini hari libur" in html and "Sabtu" in html and "akhir pekan" in html
    friday = saturday - dt.timedelta(days=1)
    post(client, friday, friday + dt.timedelta(days=3), people)
    assert "hari libur" not in client.get("/pelimpahan/").content.decode()


def test_the_admin_is_told_of_a_delegation_on_a_holiday_and_an_ancient_date_does_not_break_it(people):
    admin = client_for(people, "admin")
    for day, said in ((dt.date(2027, 8, 17), "Hari Kemerdekaan"), (dt.date(1, 1, 1), None)):
        page = admin.post("/admin/workflow/delegation/add/", {
            "official": people["kabag"].pk, "delegate": people["kasubag"].pk, "role": "kabag", "kind": "plh",
            "starts_on": day.isoformat(), "ends_on": day.isoformat(), "dasar": "",
        }, follow=True)
        assert page.status_code == 200
        if said:
            assert "Semua tanggal pelimpahan ini hari libur" in page.content.decode() and said in page.content.decode()
        else:
            assert "Tanggal mulai harus antara tahun 2000 dan satu tahun dari hari ini." in page.content.decode()
    assert Delegation.objects.count() == 1


@pytest.mark.parametrize("start, said", [
    (dt.date(9999, 12, 31), "Tanggal mulai harus antara tahun 2000 dan satu tahun dari hari ini."),
    (dt.date(1999, 12, 31), "Tanggal mulai tidak boleh sebelum hari ini."),
])
def test_a_delegation_typed_far_out_of_its_years_is_refused_at_its_date_as_typed(people, start, said):
    client = client_for(people, "kabag")
    page = client.post("/pelimpahan/", {"role": "kabag", "delegate": people["tim"].pk, "kind": "plh",
                                        "starts_on": start.isoformat(), "ends_on": start.isoformat(), "dasar": ""})
    html = page.content.decode()
    assert page.status_code == 200 and not Delegation.objects.exists()
    assert said in html
    assert start.isoformat() in html and client.get("/pelimpahan/").status_code == 200


def test_a_delegation_ended_on_its_first_day_is_said_ended_not_called_off_before_it_began(people):
    """A Plh. named from today stands in from this morning (told so at once): the Kabag who ended it at
    noon read "diakhiri sebelum berlaku", as if the Plh. had never stood in, while the Plh. was told
    it ended early."""
    from notices.models import Notice

    today = timezone.localdate()
    client = client_for(people, "kabag")
    post(client, today, today + dt.timedelta(days=2), people)
    running = Delegation.objects.get()
    assert Delegation.objects.active_on(today).filter(pk=running.pk).exists()
    assert Notice.objects.filter(recipient=people["kasubag"], judul__startswith="Pelimpahan dimulai").exists()
    done = client.post(f"/pelimpahan/{running.pk}/akhiri/", follow=True).content.decode()
    assert "sebelum berlaku" not in done
    assert f"Pelimpahan kepada {people['kasubag']} diakhiri sekarang" in done
    assert "tidak lagi bertindak sebagai Plh. Kabag" in done
    assert not Delegation.objects.active_on(today).exists()
    # One named for a later day is called off before it began, and said so: nothing is left of it.
    post(client, today + dt.timedelta(days=3), today + dt.timedelta(days=4), people)
    later = Delegation.objects.exclude(pk=running.pk).get()
    done = client.post(f"/pelimpahan/{later.pk}/akhiri/", follow=True).content.decode()
    assert "dibatalkan sebelum berlaku" in done
    assert list(Delegation.objects.all()) == [running]
