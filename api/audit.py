"""Writes that the pages make without an audit event (an agency's draft, a reminder): made with a
token, each is logged as well, in the transaction that made it, naming the token
(`workflow.audit.through`), so every write through a token is in the dossier's history."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from workflow.models import AuditEvent


@contextmanager
def logged_if_token(request, dossier, action: str, capacity):
    """Run the block in a transaction; with a token, append the event whose note the block sets
    (`yield`s a dict: put "note" in it once something was written; nothing written, nothing logged)."""
    said = {}
    with transaction.atomic():
        yield said
        if said and isinstance(request.auth, ApiToken) and capacity is not None:
            AuditEvent.objects.record(dossier, request.user, capacity, action, dossier.state, said, timezone.now())
