"""E-mail sent again as the same message. A task or command that mails and records that it did in
one transaction can lose the record (the database failed over between the send and its commit); the
retry then sends again. E-mail cannot be taken back, so the lost record is made good by sending
again, never by not sending, and the message goes again under the Message-ID it had, which mail
programs keep once."""

import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage


def message_id(kind: str, key: int, moment, recipients: list[str]) -> str:
    """The Message-ID of what `kind` number `key` tells `recipients`: the same at every send. The
    moment it belongs to (a row's making, a stay's start or due moment, a day) keeps a number used again after a
    restore from backup a message of its own. The moment and the recipients hashed: short enough
    for a header line of its own."""
    # The sender's domain, also when the address is given with a name ("Biro Kesra <...>").
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    told = "|".join(sorted(address.lower() for address in recipients))
    digest = hashlib.sha256(f"{moment.isoformat()}|{told}".encode()).hexdigest()[:16]
    return f"<{kind}.{key}.{digest}@{domain}>"


def send_once(subject: str, body: str, recipients: list[str], *, kind: str, key: int, moment) -> None:
    """`send_mail(subject, body, None, recipients)`, as the message `message_id` names."""
    EmailMessage(subject, body, None, recipients,
                 headers={"Message-ID": message_id(kind, key, moment, recipients)}).send()
