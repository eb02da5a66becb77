"""Every user against every action in every state: exactly the allowed set, and the URL-less path
(`services.perform`) refuses the rest.

The table is tests/permission_matrix.py.
"""


import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tests.permission_matrix import CODES, EXPECTED, OWN_DRAFT, REOPENED, USERS, at_state, fields_for
from workflow import demo, policy, services
from workflow.actions import TRANSITION_ACTIONS, Action
from workflow.models import Delegation, Dossier, User
from workflow.steps import ACTIVE_STATES, DI_GUBERNUR, DIBATALKAN, SELESAI, STEPS, DocKind


def test_the_table_covers_every_state():
    assert set(EXPECTED) == set(ACTIVE_STATES) | {SELESAI, DIBATALKAN}


class Rollback(Exception):
    pass


@pytest.mark.parametrize("state", list(EXPECTED))
def test_each_user_may_do_exactly_the_expected_actions(people, state):
    dossier = at_state(people, state)
    assert dossier.state == state
    assert_allowed_exactly(people, dossier, EXPECTED[state])


@pytest.mark.parametrize("state", list(OWN_DRAFT))
def test_who_prepared_the_draft_may_not_review_it_as_plh_or_plt(people, state):
    for role in ("kabag", "kabiro"):
        Delegation.objects.create(official=people[role], delegate=people["kasubag"], role=role,
                                  starts_on=timezone.localdate(), ends_on=timezone.localdate())
    people["kasubag"] = User.objects.get(pk=people["kasubag"].pk)
    dossier = at_state(people, state)
    assert_allowed_exactly(people, dossier, OWN_DRAFT[state])
    listed = Dossier.objects.visible_to(people["kasubag"]).filter(policy.inbox_scope(people["kasubag"]))
    assert not listed.filter(pk=dossier.pk).exists()


def assert_allowed_exactly(people, dossier, table):
    """Each user is offered exactly their row of `table`, and `services.perform` agrees action by action."""
    state = dossier.state
    for username in USERS:
        user = AnonymousUser() if username == "anonymous" else people[username]
        expected = {CODES[c] for c in table.get(username, "")}
        assert set(policy.allowed_actions(user, dossier)) == expected, (state, username)
        for action in TRANSITION_ACTIONS:
            dossier.refresh_from_db()
            try:
                with transaction.atomic():
                    services.perform(dossier, user, action, revision=dossier.revision, **fields_for(action, dossier, people))
                    raise Rollback
            except Rollback:
                assert action in expected, f"{username} did {action} at {state}"
            except PermissionDenied:
                assert action not in expected, f"{username} was refused {action} at {state}"


@pytest.mark.parametrize("state", list(REOPENED))
def test_a_reopened_agency_may_send_again_and_appears_in_its_inbox(people, state):
    dossier = at_state(people, state)
    services.perform(dossier, people["kasubag"], Action.BUKA_KEMBALI_IKU, revision=dossier.revision,
                     **fields_for(Action.BUKA_KEMBALI_IKU, dossier, people))
    dossier = Dossier.objects.get(pk=dossier.pk)
    for username in USERS:
        user = AnonymousUser() if username == "anonymous" else people[username]
        expected = {CODES[c] for c in REOPENED[state].get(username, "")}
        assert set(policy.allowed_actions(user, dossier)) - {Action.BUKA_KEMBALI_IKU} == expected - {Action.BUKA_KEMBALI_IKU}, username
    assert Dossier.objects.visible_to(people["dinkes"]).filter(policy.inbox_scope(people["dinkes"])).filter(pk=dossier.pk).exists()
    services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                     **fields_for(Action.AJUKAN_IKU, dossier, people))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert not policy.can(people["dinkes"], Action.AJUKAN_IKU, dossier)  # sending closed it again
    assert not Dossier.objects.visible_to(people["dinkes"]).filter(policy.inbox_scope(people["dinkes"])).filter(pk=dossier.pk).exists()


@pytest.mark.parametrize("state", ["langkah_3", "langkah_7", DI_GUBERNUR])
def test_the_fsm_offers_each_user_the_same_transitions_as_the_policy(people, state):
    dossier = at_state(people, state)
    for username in USERS[:-2]:
        user = people[username]
        offered = {t.name for t in dossier.get_available_user_state_transitions(user)}
        assert offered == set(policy.allowed_actions(user, dossier)) - {Action.LIHAT}, username


def test_an_skpd_user_sees_only_dossiers_that_invited_its_agency(people):
    demo.open_dossier(people, 2027, "Mengundang Dinkes")
    assert Dossier.objects.visible_to(people["dinkes"]).count() == 1
    assert Dossier.objects.visible_to(people["dishub"]).count() == 0
    assert Dossier.objects.visible_to(AnonymousUser()).count() == 0
    assert Dossier.objects.visible_to(people["tim"]).count() == 1


def test_an_skpd_user_may_open_only_letters_addressed_to_it_and_its_own_iku(people):
    dossier = demo.open_dossier(people, 2027, "Dokumen")
    demo.walk_to(dossier, people, STEPS[5].state)
    docs = {d.kind: d for d in dossier.documents.all()}
    assert policy.can_view_document(people["dinkes"], docs[DocKind.UNDANGAN])
    assert policy.can_view_document(people["dinkes"], docs[DocKind.SURAT_SKPD])
    assert not policy.can_view_document(people["dinkes"], docs[DocKind.DPA])
    assert not policy.can_view_document(people["dishub"], docs[DocKind.UNDANGAN])
    assert policy.can_view_document(people["tim"], docs[DocKind.DPA])
    own = dossier.submissions.get(skpd=people["dinkes"].skpd, stage="konsep")
    other = dossier.submissions.get(skpd=people["dinsos"].skpd, stage="konsep")
    assert policy.can_view_submission(people["dinkes"], own)
    assert not policy.can_view_submission(people["dinkes"], other)
    assert policy.can_view_submission(people["kabag"], other)


def test_only_a_kasubag_may_open_a_dossier(people):
    for username in USERS[:-2]:
        assert policy.can_create_dossier(people[username]) == (username == "kasubag"), username
    assert not policy.can_create_dossier(people["admin"])
    assert not policy.can_create_dossier(AnonymousUser())


def test_a_deactivated_user_may_do_nothing(people):
    dossier = at_state(people, STEPS[0].state)
    kasubag = people["kasubag"]
    kasubag.is_active = False
    kasubag.save()
    kasubag._sop_roles = None
    assert policy.allowed_actions(kasubag, dossier) == []


@pytest.mark.parametrize("state", list(EXPECTED))
def test_the_inbox_states_agree_with_the_actions_each_user_may_take(people, state):
    dossier = at_state(people, state)
    for username in USERS[:-2]:
        user = people[username]
        waits = any(policy.can(user, action, dossier) for action in policy.INBOX_ACTIONS)
        listed = Dossier.objects.visible_to(user).filter(policy.inbox_scope(user)).filter(pk=dossier.pk).exists()
        assert listed == waits, (username, state)
