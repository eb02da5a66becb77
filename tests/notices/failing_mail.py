from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses one mailbox (as an unknown address is answered 550) and takes the
    rest, kept in the test outbox."""

    refused = "kabag@example.go.id"

    def send_messages(self, messages):
        import smtplib

        from django.core import mail

        for message in messages:
            if self.refused in message.to:
                raise smtplib.SMTPRecipientsRefused({self.refused: (550, b"5.1.1 User unknown")})
            mail.outbox.append(message)
        return len(messages)
