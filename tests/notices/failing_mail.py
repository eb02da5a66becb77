from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
