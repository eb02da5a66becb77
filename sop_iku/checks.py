"""What `manage.py check` (and so `migrate`, which the install runs first) tells whoever installs the
app before anyone meets it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

# An address that only says "every interface of this machine" (naskah.lacking says it on the forms).
UNSPECIFIED_HOSTS = ("0.0.0.0", "::")


@register()
def site_url_opens(app_configs, **kwargs):
    """Served to the office LAN (SOP_BIND=0.0.0.0:8000) without SOP_SITE_URL, every mailed link (the
    first passwords' among them) and every QR carried http://0.0.0.0:8000, which nobody can open, and
    the LAN's own address was refused (400): the admin's first import mailed dead links to everyone."""
    if urlsplit(settings.SOP_SITE_URL).hostname not in UNSPECIFIED_HOSTS:
        return []
    return [Warning(
        f"SOP_SITE_URL belum diatur: tautan di surel (juga tautan atur kata sandi) dan kode QR naskah akan menuju "
        f"{settings.SOP_SITE_URL}, alamat yang tidak dapat dibuka siapa pun, dan alamat jaringan kantor ditolak (400).",
        hint="Atur SOP_SITE_URL ke alamat yang dibuka pengguna, mis. SOP_SITE_URL=http://192.168.1.10:8000 "
             "(alamat mesin ini di jaringan kantor), lalu jalankan ulang aplikasi dan task worker.",
        id="sop_iku.W001")]
