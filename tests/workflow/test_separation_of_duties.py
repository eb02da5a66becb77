"""Nobody initials, returns or signs a draft they prepared themselves, delegation or not; and a
Plh./Plt. holds a rank that fits the post (the rule is data the admin keeps)."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import client_for
from workflow import demo, policy, services
from workflow.actions import Action
from workflow.models import Delegation, DelegationRule, Dossier
from workflow.steps import STEP_BY_NUMBER, STEPS


def standing_in(people, official, delegate):
    today = timezone.localdate()
    return Delegation.objects.create(official=people[official], delegate=people[delegate], role=official,
                                     starts_on=today, ends_on=today + datetime.timedelta(days=5))


def reviewing_steps():
    return [step for step in STEPS if step.independent_of]


def test_the_step_data_names_the_reviewing_steps():
    # The Kabag's paraf (7) and the Kabiro's signature (8) review what the Kasubag's office drafted at 6.
    assert [(s.number, s.independent_of) for s in reviewing_steps()] == [(7, 6), (8, 6)]


@pytest.mark.parametrize("step", reviewing_steps(), ids=lambda s: f"langkah_{s.number}")
@pytest.mark.parametrize("preparer", ["kasubag", "staf"])
def test_who_prepared_the_draft_may_not_review_it_even_as_plh(people, walk, step, preparer):
    # The Kasubag finished step 6 and the Staf made its documents: each, made Plh. of the reviewer,
    # still may not initial, return or sign that draft.
    reviewer = step.actors[0]
    standing_in(people, reviewer, preparer)
    dossier = walk(step.state)
    user = people[preparer]
    assert policy.reviews_own_draft(user, dossier)
    for action in (Action.SELESAIKAN, Action.KEMBALIKAN):
        assert not policy.can(user, action, dossier)
    with pytest.raises(PermissionDenied):
        services.perform(dossier, user, Action.SELESAIKAN, revision=dossier.revision)
    # ... and nobody else loses anything: the official in their own right, and a Plh. who did not prepare it.
    assert policy.can(people[reviewer], Action.SELESAIKAN, dossier)
    assert not policy.reviews_own_draft(people[reviewer], dossier)


def test_the_inbox_leaves_out_a_draft_of_ones_own_and_the_page_says_why(people, walk):
    standing_in(people, "kabag", "kasubag")
    own = walk(STEP_BY_NUMBER[7].state, judul="Disiapkan sendiri")
    kasubag = client_for(people, "kasubag")
    inbox = kasubag.get("/").content.decode()
    assert "Disiapkan sendiri" not in inbox
    page = kasubag.get(f"/dosier/{own.pk}/").content.decode()
    assert "Anda menyiapkan draft ini di Langkah 6" in page
    assert f"/dosier/{own.pk}/aksi/selesaikan/" not in page
    refused = kasubag.get(f"/dosier/{own.pk}/aksi/selesaikan/")
    assert refused.status_code == 403 and "Anda ikut menyiapkan draf yang ditinjau" in refused.content.decode()
    # The Kabag's own inbox still lists it, and the page offers the paraf.
    assert "Disiapkan sendiri" in client_for(people, "kabag").get("/").content.decode()


def test_a_draft_prepared_again_after_a_return_counts_its_new_preparers(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    assert set(dossier.prepared_by.values_list("username", flat=True)) == {"kasubag", "staf"}
    services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, catatan="Perbaiki target")
    dossier = Dossier.objects.get(pk=dossier.pk)
    # This time the Kasubag prepares alone, so the Staf (who drafted the first version) may review it as Plh.
    for kind in STEP_BY_NUMBER[6].produces:
        demo.upload(dossier, people["kasubag"], kind)
        dossier = Dossier.objects.get(pk=dossier.pk)
    event = demo.finish(dossier, people["kasubag"])
    assert event.to_state == STEP_BY_NUMBER[7].state
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert list(dossier.prepared_by.values_list("username", flat=True)) == ["kasubag"]
    standing_in(people, "kabag", "staf")
    staf = type(people["staf"]).objects.get(pk=people["staf"].pk)  # roles read afresh, with the new delegation
    assert policy.can(staf, Action.SELESAIKAN, dossier)


@pytest.mark.parametrize(
    "official, delegate, allowed",
    [
        ("kabiro", "kabag", True),
        ("kabiro", "staf", False),
        ("kabiro", "kasubag", False),
        ("kabag", "kasubag", True),
        ("kabag", "staf", False),
        ("kabag", "tim", False),
        ("kasubag", "staf", True),
    ],
)
def test_a_plh_must_hold_a_rank_that_fits(people, official, delegate, allowed):
    today = timezone.localdate()
    delegation = Delegation(official=people[official], delegate=people[delegate], role=official,
                            starts_on=today, ends_on=today)
    if allowed:
        delegation.full_clean()
        return
    with pytest.raises(ValidationError) as caught:
        delegation.full_clean()
    assert "tidak dapat menjadi Plh./Plt." in caught.value.message_dict["delegate"][0]


def test_the_rank_rule_is_the_admins_data(people):
    today = timezone.localdate()
    delegation = Delegation(official=people["kabag"], delegate=people["tim"], role="kabag",
                            starts_on=today, ends_on=today)
    with pytest.raises(ValidationError):
        delegation.full_clean()
    admin = client_for(people, "admin")
    response = admin.post("/admin/workflow/delegationrule/add/", {"role": "kabag", "delegate_role": "tim"})
    assert response.status_code == 302
    delegation.full_clean()
    DelegationRule.objects.filter(role="kabiro").delete()
    refused = Delegation(official=people["kabiro"], delegate=people["kabag"], role="kabiro",
                         starts_on=today, ends_on=today)
    with pytest.raises(ValidationError) as caught:
        refused.full_clean()
    assert "Belum ada aturan" in caught.value.message_dict["delegate"][0]


def test_the_delegation_page_refuses_a_staf_as_plh_kabiro_beside_the_field(people):
    today = timezone.localdate()
    kabiro = client_for(people, "kabiro")
    response = kabiro.post("/pelimpahan/", {
        "role": "kabiro", "delegate": people["staf"].pk, "kind": "plh",
        "starts_on": today.isoformat(), "ends_on": today.isoformat(), "dasar": "Sprint 1/2027",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak dapat menjadi Plh./Plt. Kabiro" in page
    assert "Sprint 1/2027" in page
    assert not Delegation.objects.exists()


def test_a_plh_reads_the_capacity_they_act_in_on_the_action_page(people, walk):
    standing_in(people, "kabag", "tim")
    dossier = walk(STEP_BY_NUMBER[7].state)
    page = client_for(people, "tim").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    assert re.search(r"<h1>[^<]* sebagai Plh\. Kabag</h1>", page)
    # The Kabag in their own right reads the plain label.
    page = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    assert "sebagai Plh." not in page


def test_preparers_read_before_a_move_are_not_taken_for_the_draft_after_it(people, walk):
    # A page read the dossier at step 7 when the Staf had made its draft; the Kabag returned it and the
    # Kasubag made step 6's papers again alone. The Staf, Plh. Kabag, initials the new draft with the
    # same (refreshed) object: allowed, not refused for the draft of before.
    standing_in(people, "kabag", "staf")
    seen = walk(STEP_BY_NUMBER[7].state)
    assert policy.reviews_own_draft(people["staf"], seen)
    other = Dossier.objects.get(pk=seen.pk)
    services.perform(other, people["kabag"], Action.KEMBALIKAN, revision=other.revision, catatan="Perbaiki formula.")
    other.refresh_from_db()
    for kind in other.step.produces:
        demo.upload(other, people["kasubag"], kind)
    other.refresh_from_db()
    demo.finish(other, people["kasubag"])
    seen.refresh_from_db()
    services.perform(seen, people["staf"], Action.SELESAIKAN, revision=seen.revision)
    assert Dossier.objects.get(pk=seen.pk).state == STEP_BY_NUMBER[8].state


def test_an_initial_asks_who_prepared_the_draft_once(people, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = walk(STEP_BY_NUMBER[7].state)
    with CaptureQueriesContext(connection) as queries:
        client_for(people, "kabag").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision})
    assert Dossier.objects.get(pk=dossier.pk).state == STEP_BY_NUMBER[8].state
    asked = [q["sql"] for q in queries.captured_queries if "prepared_by" in q["sql"]]
    assert len(asked) == 1, asked
