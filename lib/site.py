"""The address people open the app at (settings.SOP_SITE_URL), as every link made outside a request
is built on it: e-mails, QR codes, webhooks, the verification page's own address."""

from django.conf import settings


def site_url() -> str:
    """SOP_SITE_URL without its last slash: "https://host/" + "/dosier/1/" is a page the app has not."""
    return settings.SOP_SITE_URL.rstrip("/")
