"""A deployment's environment that the settings cannot use, said to the operator.

The settings refused a missing key or a value that is no number with Django's ImproperlyConfigured
in English, and manage.py, gunicorn and the task worker's journal showed it at the end of a page of
traceback. The settings now raise MisconfiguredEnvironment (still an ImproperlyConfigured, so Django
and the tests treat it as before) with one Indonesian sentence: the variable, what was found and
what to set where; manage.py and sop_iku/wsgi.py print that sentence alone and end non-zero.
"""

from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Where a deployment keeps its environment (README, deploy/sop-iku.env.example); the one-machine
# install of the Quick start exports it in the shell instead.
WHERE = ("di /etc/sop-iku.env (contohnya deploy/sop-iku.env.example) atau, pada pemasangan satu mesin, di shell "
         "yang menjalankan aplikasi")


class MisconfiguredEnvironment(ImproperlyConfigured):
    """The environment is wrong; the message is the operator's whole answer."""


def not_a_database_url(value: str, problem: ValueError) -> str:
    """What is wrong with DATABASE_URL `value`, without repeating it: it carries the password."""
    scheme = urlsplit(value).scheme if "://" in value else ""
    if isinstance(problem, dj_database_url.UnknownSchemeError):
        found = f"memakai skema {scheme!r} yang tidak dikenal" if scheme else "bukan alamat basis data (tidak diawali postgres://)"
    else:
        found = ("tidak dapat dibaca: portnya bukan angka 1–65535, atau kata sandinya memuat @, /, : atau # yang belum "
                 "ditulis %40, %2F, %3A atau %23")
    return (f"DATABASE_URL {found}; tulis dalam bentuk postgres://PENGGUNA:SANDI@HOST:5432/NAMA (atau sqlite:///JALUR) "
            f"{WHERE}, lalu jalankan lagi.")
