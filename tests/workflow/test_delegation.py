"""Plh./Plt.: while a delegation runs the delegate does what the official could, in their name."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import client_for
from workflow import policy, services
from workflow.actions import Action
from workflow.models import Delegation, User
from workflow.steps import STEP_BY_NUMBER


def delegate(people, start, end, role="kabag", to="tim", kind="plh"):
    return Delegation.objects.create(
        official=people[role], delegate=people[to], role=role, kind=kind, starts_on=start, ends_on=end
    )


def test_a_plh_kabag_parafs_and_the_log_names_both(people, walk):
    today = timezone.localdate()
    delegate(people, today, today + datetime.timedelta(days=3))
    dossier = walk(STEP_BY_NUMBER[7].state)
    plh = people["tim"]
    assert policy.can(plh, Action.SELESAIKAN, dossier)
    event = services.perform(dossier, plh, Action.SELESAIKAN, revision=dossier.revision)
    assert event.actor == plh
    assert event.on_behalf_of == people["kabag"]
    assert event.delegation_kind == "plh"
    assert event.role == "kabag"
    assert event.actor_label == f"Plh. Kabag {plh.nama} atas nama Drs. Hendra Gunawan, M.M."


def test_a_delegation_ends_by_itself(people, walk):
    today = timezone.localdate()
    delegate(people, today - datetime.timedelta(days=5), today - datetime.timedelta(days=1))
    dossier = walk(STEP_BY_NUMBER[7].state)
    assert not policy.can(people["tim"], Action.SELESAIKAN, dossier)
    with pytest.raises(PermissionDenied):
        services.perform(dossier, people["tim"], Action.SELESAIKAN, revision=dossier.revision)


def test_a_future_delegation_gives_nothing_yet(people, walk):
    today = timezone.localdate()
    delegate(people, today + datetime.timedelta(days=1), today + datetime.timedelta(days=2))
    dossier = walk(STEP_BY_NUMBER[7].state)
    assert not policy.can(people["tim"], Action.KEMBALIKAN, dossier)


def test_an_official_acting_in_their_own_right_is_not_logged_as_delegate(people, walk):
    today = timezone.localdate()
    # The Kasubag is Plt. Kabiro, but finishes step 6 as Kasubag.
    delegate(people, today, today, role="kabiro", to="kasubag", kind="plt")
    dossier = walk(STEP_BY_NUMBER[6].state)
    from workflow import demo

    demo.prepare_step(dossier, people)
    event = demo.finish(dossier, people["kasubag"])
    assert event.on_behalf_of is None and event.role == "kasubag"
    assert policy.can(people["kasubag"], Action.BATALKAN, dossier)


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"role": "kabag", "to": "kabag"}, "delegate"),
        ({"role": "kabiro", "to": "staf", "official": "kabag"}, "role"),
        ({"role": "skpd", "to": "staf", "official": "dinkes"}, "role"),
    ],
)
def test_invalid_delegations_are_refused_with_a_reason(people, fields, error_field):
    today = timezone.localdate()
    d = Delegation(
        official=people[fields.get("official", fields["role"])], delegate=people[fields["to"]],
        role=fields["role"], starts_on=today, ends_on=today,
    )
    with pytest.raises(ValidationError) as caught:
        d.full_clean()
    assert error_field in caught.value.message_dict


def test_an_end_before_the_start_is_refused(people):
    today = timezone.localdate()
    d = Delegation(official=people["kabag"], delegate=people["staf"], role="kabag",
                   starts_on=today, ends_on=today - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        d.full_clean()
    assert caught.value.message_dict["ends_on"] == ["Tanggal selesai tidak boleh sebelum tanggal mulai."]


def test_roles_worked_out_for_many_at_once_equal_one_by_one(people, django_assert_num_queries):
    today = timezone.localdate()
    delegate(people, today, today + datetime.timedelta(days=3))
    delegate(people, today + datetime.timedelta(days=5), today + datetime.timedelta(days=9), role="kabiro", to="kasubag")
    from workflow.models import User

    one_by_one = {u.username: policy.roles_of(u) for u in User.objects.all()}
    with django_assert_num_queries(3):
        together = policy.remember_roles(User.objects.all())
        found = {u.username: policy.roles_of(u) for u in together}
    assert found == one_by_one
    assert set(found["tim"]) == {"tim", "kabag"} and set(found["kasubag"]) == {"kasubag", "tim"}


def test_a_page_reads_the_delegations_only_of_someone_standing_in_today(people, walk):
    # The signed-in user is read knowing whether a delegation runs for them today (workflow.auth).
    walk(STEP_BY_NUMBER[7].state)
    paraf = f"{STEP_BY_NUMBER[7].action_label}</a> <strong>sebagai Plh. Kabag</strong>"
    client = client_for(people, "tim")
    client.get("/")
    with CaptureQueriesContext(connection) as seen:
        assert paraf not in client.get("/").content.decode()
    assert not [q for q in seen if q["sql"].startswith('SELECT "workflow_delegation"')]
    today = timezone.localdate()
    delegate(people, today - datetime.timedelta(days=1), today - datetime.timedelta(days=1))
    delegate(people, today + datetime.timedelta(days=1), today + datetime.timedelta(days=1))
    assert paraf not in client.get("/").content.decode()
    delegate(people, today, today)
    assert paraf in client.get("/").content.decode()
    # A deactivated official hands nothing on.
    people["kabag"].is_active = False
    people["kabag"].save()
    assert paraf not in client.get("/").content.decode()


def test_the_signed_in_user_is_read_whole_in_one_query_as_the_orm_reads_them(people, django_assert_num_queries):
    # workflow.auth writes the request's user query out by hand: what it gives must be what the ORM
    # gives (aware moments, booleans, the agency), and a user who may not sign in is nobody.
    from workflow.auth import AgencyModelBackend

    backend = AgencyModelBackend()
    officer = people["dinkes"]
    officer.last_login = timezone.now()
    officer.save()
    with django_assert_num_queries(1):
        read = backend.get_user(officer.pk)
        agency = read.skpd
    expected = User.objects.select_related("skpd").get(pk=officer.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(read.last_login) and read.is_active is True
    assert agency == expected.skpd and agency.nama_pendek == expected.skpd.nama_pendek
    assert backend.get_user(people["kabag"].pk).skpd is None
    assert backend.get_user("bukan-angka") is None and backend.get_user(10**9) is None
    officer.is_active = False
    officer.save()
    assert backend.get_user(officer.pk) is None
