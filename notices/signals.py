"""Listens for the audit events of moves (the dossier's hand-offs, told once committed), for the
news an act in place brings the Kasubag, for delegations given, ended or called off, and for an
agency officer moved to another agency."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from notices import delegations, moves, roles
from workflow.actions import CREATE, DISPOSE, DISPOSE_DONE, Action
from workflow.models import AuditEvent, Delegation, UserRole

# Acts that tell someone without moving the dossier: opening it, reopening an agency's IKU, a
# disposisi given (to its Staf) or reported done (to its Kasubag), an agency's IKU sent (to the Kasubag).
TOLD_IN_PLACE = (CREATE, Action.BUKA_KEMBALI_IKU, DISPOSE, DISPOSE_DONE, Action.AJUKAN_IKU)


@receiver(post_save, sender=AuditEvent, dispatch_uid="notices.handoff")
def tell_on_handoff(sender, instance, created, raw=False, **kwargs):
    # A raw save is a fixture or `manage.py restore` loading the record of hand-offs told long ago
    # (their notices come back as rows of their own): telling them again would mail the past.
    if raw or not created or (instance.from_state == instance.to_state and instance.action not in TOLD_IN_PLACE):
        return
    from notices.tasks import deliver_handoff

    event_id = instance.pk
    if isinstance(deliver_handoff.get_backend(), ImmediateBackend):
        # Done at once, without a worker: after the commit, so a rolled-back move hands nothing on
        # and no lock of the move is held while the notices are worked out and mailed.
        transaction.on_commit(lambda: deliver_handoff.enqueue(event_id))
    else:
        # Queued in the database, in the move's own transaction: a committed move always has its
        # task (queued after the commit, a crash in between lost it), a rolled-back one has none,
        # the worker sees it only with the committed event, and the click costs one commit, not two.
        deliver_handoff.enqueue(event_id)


@receiver(post_save, sender=Delegation, dispatch_uid="notices.delegation_saved")
def tell_on_delegation(sender, instance, created, raw=False, **kwargs):
    # Raw, as above: a restored delegation was told when it was given.
    if not raw:
        delegations.on_saved(instance, created)


@receiver(post_save, sender=get_user_model(), dispatch_uid="notices.moved_agency")
def put_by_on_moving(sender, instance, created, raw=False, **kwargs):
    """An officer moved to another agency: what they were told as the old one's officer (its table
    sent, reopened, due) is no longer theirs to act on, and stayed counted unread for good; and she
    is told whom she acts for now (notices.moves)."""
    if raw or created:
        return
    if instance.moves_agency():
        instance.notices.filter(read_at__isnull=True).update(read_at=timezone.now())
    # Read before User.save sets it to the new agency; an account given its first agency is told too.
    loaded = getattr(instance, "_loaded_skpd_id", instance.skpd_id)
    if loaded != instance.skpd_id:
        moves.on_moved(instance.pk, loaded)


@receiver(pre_delete, sender=Delegation, dispatch_uid="notices.delegation_deleted")
def tell_on_delegation_deleted(sender, instance, **kwargs):
    # Before the row goes: whether its delegate was told of it is asked by its id.
    delegations.on_deleting(instance)


@receiver(post_save, sender=UserRole, dispatch_uid="notices.role_given")
def tell_on_role_given(sender, instance, created, raw=False, **kwargs):
    # Raw, as above: a restored role was given long ago. The import gives roles in bulk, and tells
    # them itself (workflow.people_import.writing).
    if created and not raw:
        roles.on_given([(instance.user_id, instance.role)])
