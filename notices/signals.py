"""Listens for the audit events of moves: the dossier's hand-offs, told once committed."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from workflow.actions import CREATE, DISPOSE, Action

# Acts that hand work on without moving the dossier: opening it, reopening an agency's IKU, a disposisi.
TOLD_IN_PLACE = (CREATE, Action.BUKA_KEMBALI_IKU, DISPOSE)
from workflow.models import AuditEvent


@receiver(post_save, sender=AuditEvent, dispatch_uid="notices.handoff")
def tell_on_handoff(sender, instance, created, raw=False, **kwargs):
    # A raw save is a fixture or `manage.py restore` loading the record of hand-offs told long ago
    # (their notices come back as rows of their own): telling them again would mail the past.
    if raw or not created or (instance.from_state == instance.to_state and instance.action not in TOLD_IN_PLACE):
        return
    from notices.tasks import deliver_handoff

    event_id = instance.pk
    # After commit: a rolled-back move hands nothing on, and the worker sees the committed event.
    transaction.on_commit(lambda: deliver_handoff.enqueue(event_id))
