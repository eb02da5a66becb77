"""Writes to a dossier: every one locks the row, asks the policy, runs the transition and appends
the audit event, all in one database transaction. The event is appended last: the audit chain's
head it locks is shared by every dossier, so it is held for three statements and the commit. Other
apps hear of each transition through the two signals below, never called by name from here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from workflow import policy, sla
from workflow.actions import ACTION_LABELS, ACTIONS, CREATE, TRANSITION_ACTIONS
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.policy import Capacity
from workflow.roles import Role
from workflow.steps import ACTIVE_STATES, FIRST_STATE

# Sent by perform inside the transition's transaction with dossier (locked, in its new
# state), event (all it says, not yet sealed to the chain nor written: the chain's lock is taken
# after the receivers, so a slow one holds up only its own dossier) and user. A receiver's failure
# rolls the whole transition back: a signature whose document cannot be frozen is no signature.
transition_recorded = Signal()

# Sent by perform before its transaction, with dossier (as the user loaded it), user,
# action, revision (the one the user saw), at (the action's moment) and fields (the transition's
# arguments). What is slow and needs no lock (a signing service's answer) is made here, not while
# every writer of an SQLite install waits: a receiver with something to make first asks
# admitted_now whether the dossier as it stands admits the action, then returns what it
# made keyed by its name (else None). perform hands the lot to the transition as
# `dossier.prepared`; should the dossier have moved meanwhile, it is refused there and thrown away.
transition_preparing = Signal()


class StaleDossier(ValidationError):
    """The dossier changed after the user loaded the page; their action is refused, not merged.

    A ValidationError, so a page shows it beside the form it refused, with what was typed kept."""

    def __init__(self, dossier, *, seen_revision: int | None = None, action: str | None = None):
        """`seen_revision` and `action`: the form's, for a page to say what changed meanwhile when the
        dossier did not move (workflow.changed_since)."""
        self.dossier, self.seen_revision, self.action = dossier, seen_revision, action
        super().__init__(
            f"Dosier ini sudah berubah sejak halaman Anda dibuka: sekarang di {dossier.state_label}. "
            "Tindakan Anda tidak disimpan; isian Anda masih di bawah, periksa keadaan terbaru.",
            code="stale",
        )

    def __str__(self) -> str:
        return self.messages[0]


def _move_clock(dossier, now):
    """End the open stay and begin the new one; the dossier (saved by the caller) takes its
    moments. The open stay comes with the locked dossier; one written in bulk before the dossier
    carried it is looked for."""
    carried = dossier.open_stay
    open_stays = ([carried] if carried is not None and carried.left_at is None
                  else StepVisit.objects.filter(dossier=dossier, left_at__isnull=True))
    for ended in open_stays:
        # Saved, not updated in bulk: an ended stay stores the working time it used (`sla.schedule`),
        # so the report reads it instead of counting it.
        ended.left_at = now
        ended.save()
    stay = None
    if dossier.state in ACTIVE_STATES:
        stay = StepVisit.objects.create(dossier=dossier, state=dossier.state, entered_at=now)
    sla.copy_moments(stay, dossier)


def _admit(current, seen, user, action: str, revision: int, document=None) -> Capacity:
    """The capacity in which `user` takes `action` on `current` (the dossier as it stands), having
    loaded `seen` at `revision`: StaleDossier if it moved on since, PermissionDenied if the policy
    says no (of an upload, for the `document` it adds). An additive action (`ActionSpec.additive`) is
    stale only when the step moved away from the one `seen` was at: others' uploads meanwhile do not
    refuse it."""
    if ACTIONS[action].additive:
        stale = current.state != seen.state
    else:
        stale = current.revision != revision
    if stale:
        raise StaleDossier(current, seen_revision=revision, action=action)
    capacity = policy.acting_as(user, action, current, document=document)
    if capacity is None:
        raise PermissionDenied(
            f"Anda tidak berwenang: {ACTION_LABELS[action][0].lower()}{ACTION_LABELS[action][1:]} pada posisi "
            f"{current.state_label}."
        )
    return capacity


def admitted_now(dossier, user, action: str, revision: int):
    """(the dossier as it stands now, unlocked; the capacity `user` takes `action` on it in), for
    what is made before the transaction: StaleDossier or PermissionDenied as perform raises them."""
    current = Dossier.objects.get(pk=dossier.pk)
    return current, _admit(current, dossier, user, action, revision)


def _prepare(dossier, user, action: str, revision: int, at, fields) -> dict:
    """What the receivers of transition_preparing make before the transaction (a signature from a
    remote service); a receiver with something to make checks first, with admitted_now, that the
    dossier as it stands still admits the action."""
    prepared = {}
    for _, made in transition_preparing.send(sender=Dossier, dossier=dossier, user=user, action=action,
                                             revision=revision, at=at, fields=fields):
        prepared |= made or {}
    return prepared


def perform(dossier, user, action: str, *, revision: int, at=None, **fields) -> AuditEvent:
    """Take `action` (a transition's name) on `dossier` as `user`, at `at` (now by default).

    `revision` is the dossier's revision the user saw; if it moved on since, StaleDossier is raised
    and nothing is written (see _admit). Raises PermissionDenied when the policy says no and
    gates.GateError when the step lacks something, each with a message for the user.

    What is slow is made first, outside any transaction (`_prepare`: a signature from BSrE may take
    SOP_BSRE_TIMEOUT), then checked again under the row lock, so an SQLite install's other writers
    never wait on it and a dossier that moved meanwhile refuses what was made for its old state.
    """
    if action not in TRANSITION_ACTIONS:
        raise PermissionDenied("Tindakan tidak dikenal.")
    now = at or timezone.now()
    prepared = _prepare(dossier, user, action, revision, now, fields)
    with transaction.atomic():
        # The row lock makes a second user wait, then see the new revision and be refused.
        # Its open stay, which the move ends, comes with it (locking the dossier's row only).
        locked = Dossier.objects.select_for_update(of=("self",)).select_related("open_stay").get(pk=dossier.pk)
        policy.carry_preparers(dossier, locked)
        # Compared under the lock: read before it, a revision another addition bumped meanwhile
        # would refuse an upload that conflicts with nothing.
        capacity = _admit(locked, dossier, user, action, revision, fields.get("document"))
        locked.prepared = prepared
        from_state = locked.state
        details = getattr(locked, action)(by=user, at=now, **fields)
        if locked.state != from_state:
            locked.state_entered_at = now
            _move_clock(locked, now)
        locked.revision += 1
        locked.save()
        # A move, a reopened table or a send changes which agencies the dossier waits on.
        policy.mark_waiting_on(locked)
        event = AuditEvent.objects.describe(locked, user, capacity, action, from_state, details, now)
        # Before the event joins the chain: freezing a signed document renders a PDF, and every
        # write in the install waits on the chain's head from the moment it is taken to the commit.
        transition_recorded.send(sender=Dossier, dossier=locked, event=event, user=user)
        return AuditEvent.objects.append(event)


def create_dossier(user, *, tahun: int, judul: str, invited, at=None) -> Dossier:
    """Open a new round at step 1, inviting the given (active) agencies."""
    if not policy.can_create_dossier(user):
        raise PermissionDenied("Hanya Kasubag yang dapat membuat dosier baru.")
    invited = list(invited)
    inactive = [s.nama_pendek for s in invited if not s.aktif]
    if inactive:
        raise ValidationError({"invited": f"SKPD tidak aktif tidak dapat diundang: {', '.join(inactive)}."})
    if not invited:
        raise ValidationError({"invited": "Pilih sedikitnya satu SKPD yang diundang."})
    with transaction.atomic():
        now = at or timezone.now()
        dossier = Dossier.objects.create(
            tahun=tahun, judul=judul, created_by=user, created_at=now, state_entered_at=now
        )
        # (Which of them the round waits on is stored as they are invited: workflow.apps.)
        dossier.invited.set(invited)
        sla.copy_moments(StepVisit.objects.create(dossier=dossier, state=FIRST_STATE, entered_at=now), dossier)
        dossier.save(update_fields=sla.COPIED)
        capacity = Capacity(Role.KASUBAG, policy.roles_of(user)[Role.KASUBAG])
        AuditEvent.objects.record(
            dossier, user, capacity, CREATE, "", {"note": judul, "skpd": [s.nama_pendek for s in invited]}, now
        )
    return dossier
