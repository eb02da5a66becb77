"""Writes to a dossier: every one locks the row, asks the policy, runs the transition and appends
the audit event, all in one database transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from workflow import gates, policy
from workflow.models import AuditEvent, Dossier, StepVisit
from workflow.policy import Action, Capacity
from workflow.roles import Role
from workflow.steps import ACTIVE_STATES, FIRST_STATE


class StaleDossier(Exception):
    """The dossier changed after the user loaded the page; their action is refused, not merged."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(
            "Dosier ini sudah berubah sejak halaman Anda dibuka "
            f"(sekarang: {dossier.state_label}). Tindakan Anda tidak disimpan; periksa keadaan terbaru."
        )


def actor_label(user, capacity: Capacity) -> str:
    role = Role(capacity.role).label
    if capacity.delegation is not None:
        d = capacity.delegation
        return f"{d.get_kind_display()} {role} {user.display_name} atas nama {d.official.display_name}"
    return f"{user.display_name} ({role})"


def _append_event(dossier, user, capacity, action, from_state, details, at):
    details = dict(details or {})
    note = details.pop("note", "") or ""
    delegation = capacity.delegation
    return AuditEvent.objects.create(
        dossier=dossier,
        at=at,
        actor=user,
        actor_label=actor_label(user, capacity),
        role=capacity.role,
        on_behalf_of=delegation.official if delegation else None,
        delegation_kind=delegation.kind if delegation else "",
        action=action,
        from_state=from_state,
        to_state=dossier.state,
        note=note,
        data=details,
    )


def _move_clock(dossier, now):
    StepVisit.objects.filter(dossier=dossier, left_at__isnull=True).update(left_at=now)
    if dossier.state in ACTIVE_STATES:
        StepVisit.objects.create(dossier=dossier, state=dossier.state, entered_at=now)


def perform(dossier, user, action: str, *, revision: int, **fields) -> AuditEvent:
    """Take `action` (a transition's name) on `dossier` as `user`.

    `revision` is the dossier's revision the user saw; if it moved on since, StaleDossier is raised
    and nothing is written. Raises PermissionDenied when the policy says no and gates.GateError when
    the step lacks something, each with a message for the user.
    """
    if action not in policy.TRANSITION_ACTIONS:
        raise PermissionDenied("Tindakan tidak dikenal.")
    with transaction.atomic():
        # The row lock makes a second user wait, then see the new revision and be refused.
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.revision != revision:
            raise StaleDossier(locked)
        capacity = policy.acting_as(user, action, locked)
        if capacity is None:
            raise PermissionDenied(
                f"Anda tidak berwenang: {policy.ACTION_LABELS[action].lower()} "
                f"pada posisi {locked.state_label}."
            )
        if action == Action.SELESAIKAN:
            blockers = gates.missing_items(locked)
            if blockers:
                raise gates.GateError(blockers)
        from_state = locked.state
        details = getattr(locked, action)(by=user, **fields)
        now = timezone.now()
        if locked.state != from_state:
            locked.state_entered_at = now
            _move_clock(locked, now)
        locked.revision += 1
        locked.save()
        return _append_event(locked, user, capacity, action, from_state, details, now)


def create_dossier(user, *, tahun: int, judul: str, invited) -> Dossier:
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
        now = timezone.now()
        dossier = Dossier.objects.create(
            tahun=tahun, judul=judul, created_by=user, created_at=now, state_entered_at=now
        )
        dossier.invited.set(invited)
        StepVisit.objects.create(dossier=dossier, state=FIRST_STATE, entered_at=now)
        capacity = Capacity(Role.KASUBAG, policy.roles_of(user)[Role.KASUBAG])
        _append_event(
            dossier, user, capacity, policy.CREATE, "", {"note": judul, "skpd": [s.nama_pendek for s in invited]}, now
        )
    return dossier
