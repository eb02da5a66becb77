"""E-mail sent again as the same message. A task that mails and then records that it did can lose
the record (the database failed over between the send and its commit); its retry then sends again.
E-mail cannot be taken back, so the lost record is made good by sending again, never by not sending,
and the message goes again under the Message-ID it had, which mail programs keep once."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMessage


def message_id(kind: str, pk: int, made_at, recipient: str) -> str:
    """The Message-ID of what row `pk` of `kind` tells `recipient`: the same at every send. The moment
    the row was made keeps a row numbered again after a restore from backup a message of its own; the
    recipient, one message per recipient. Both hashed: short enough for a header line of its own."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(f"{made_at.isoformat()}|{recipient.lower()}".encode()).hexdigest()[:16]
    return f"<{kind}.{pk}.{digest}@{domain}>"


def send_once(subject: str, body: str, recipient: str, *, kind: str, pk: int, made_at) -> None:
    """`send_mail(subject, body, None, [recipient])`, as the message `message_id` names."""
    EmailMessage(subject, body, None, [recipient],
                 headers={"Message-ID": message_id(kind, pk, made_at, recipient)}).send()
