"""A dossier walked through all nine steps, and one returned twice at step 7."""

import datetime

import pytest

from workflow import demo, services
from workflow.actions import Action
from workflow.gates import GateError
from workflow.models import AuditEvent, StepVisit
from workflow.steps import DI_GUBERNUR, SELESAI, STEP_BY_NUMBER, STEPS


def test_it_walks_a_dossier_from_the_invitation_to_the_decree(people, dossier):
    seen = [dossier.state]
    for step in STEPS:
        assert dossier.state == step.state
        demo.prepare_step(dossier, people)
        demo.finish_step(dossier, people)
        dossier.refresh_from_db()
        seen.append(dossier.state)
    assert dossier.state == DI_GUBERNUR
    assert dossier.forwarded_at is not None
    services.perform(
        dossier, people["staf"], Action.CATAT_PENETAPAN, revision=dossier.revision,
        nomor_kepgub="188.4/123/HK/2027", tanggal_kepgub=datetime.date(2027, 2, 1),
    )
    dossier.refresh_from_db()
    assert dossier.state == SELESAI
    assert dossier.nomor_kepgub == "188.4/123/HK/2027"
    assert seen == [s.state for s in STEPS] + [DI_GUBERNUR]

    moves = AuditEvent.objects.filter(dossier=dossier).exclude(from_state=models_F("to_state"))
    assert [(e.from_state, e.to_state) for e in moves] == list(
        zip([""] + seen, seen + [SELESAI])
    )
    assert moves.last().actor == people["staf"]
    # Every stay has a clock; only the final state has none open.
    visits = list(StepVisit.objects.filter(dossier=dossier).values_list("state", flat=True))
    assert visits == seen
    assert not StepVisit.objects.filter(dossier=dossier, left_at__isnull=True).exists()


def models_F(name):
    from django.db.models import F

    return F(name)


def test_it_returns_the_draft_twice_and_each_return_needs_a_new_nota(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    for round_ in (1, 2):
        services.perform(
            dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision,
            catatan=f"Perbaikan ke-{round_}: target Dinas Sosial belum terukur.",
        )
        dossier.refresh_from_db()
        assert dossier.state == STEP_BY_NUMBER[6].state
        # The Nota from before the return does not count: the gate asks for a corrected one.
        with pytest.raises(GateError) as caught:
            demo.finish(dossier, people["kasubag"])
        assert any("Nota Dinas" in m for m in caught.value.messages)
        demo.prepare_step(dossier, people)
        demo.finish_step(dossier, people)
        dossier.refresh_from_db()
        assert dossier.state == STEP_BY_NUMBER[7].state
    returns = AuditEvent.objects.filter(dossier=dossier, action=Action.KEMBALIKAN)
    assert [e.note for e in returns] == [
        "Perbaikan ke-1: target Dinas Sosial belum terukur.",
        "Perbaikan ke-2: target Dinas Sosial belum terukur.",
    ]
    assert StepVisit.objects.filter(dossier=dossier, state=STEP_BY_NUMBER[6].state).count() == 3
    demo.walk_to(dossier, people, SELESAI)
    assert dossier.state == SELESAI


def test_a_return_without_a_note_is_refused(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    with pytest.raises(GateError) as caught:
        services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, catatan="  ")
    assert caught.value.messages == ["Catatan perbaikan wajib diisi saat mengembalikan draft."]
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_step_five_may_meet_as_often_as_needed(people, walk):
    from django.utils import timezone

    from workflow.models import Meeting

    dossier = walk(STEP_BY_NUMBER[5].state)
    for n in range(3):
        dossier.refresh_from_db()
        meeting = Meeting(held_at=timezone.now(), tempat="Aula", pimpinan="Kabiro", ringkasan=f"Rapat {n + 1}")
        services.perform(dossier, people["staf"], Action.CATAT_RAPAT, revision=dossier.revision, meeting=meeting)
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[5].state
    assert dossier.meetings.count() == 3


def test_the_kabiro_cancels_with_a_reason(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    with pytest.raises(GateError):
        services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision, alasan="")
    services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision, alasan="DPA berubah")
    dossier.refresh_from_db()
    assert dossier.state == "dibatalkan"
    assert dossier.alasan_batal == "DPA berubah"
    assert dossier.events.last().note == "DPA berubah"


def test_a_stale_revision_is_refused_and_nothing_is_written(people, dossier):
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    seen = dossier.revision - 1
    events = dossier.events.count()
    with pytest.raises(services.StaleDossier) as caught:
        services.perform(dossier, people["kasubag"], Action.SELESAIKAN, revision=seen)
    assert "sudah berubah" in str(caught.value)
    dossier.refresh_from_db()
    assert dossier.state == STEPS[0].state
    assert dossier.events.count() == events


def test_the_state_cannot_be_set_by_hand(dossier):
    with pytest.raises(AttributeError):
        dossier.state = SELESAI
