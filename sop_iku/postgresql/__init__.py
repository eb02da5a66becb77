"""The PostgreSQL backend (base.py); here what a caller may ask of it without importing psycopg."""

import contextvars
import re
from contextlib import contextmanager

# A health check asked while no host takes writes must say so at once: HAProxy gives each check 1 s,
# and a check that waited out the promotion (SOP_DB_FAILOVER_WAIT) timed out instead of answering 503.
_impatient = contextvars.ContextVar("impatient", default=False)


@contextmanager
def without_waiting():
    token = _impatient.set(True)
    try:
        yield
    finally:
        _impatient.reset(token)


def waiting() -> bool:
    return not _impatient.get()


# What PostgreSQL or libpq says when the connection string itself is wrong: no failover mends it, so
# it is said at once, with what to check, not waited out (SOP_DB_FAILOVER_WAIT) and reported as a
# database that did not answer. libpq gives these no SQLSTATE; its words (English) are matched.
LASTING_REFUSALS = [
    (r"no pg_hba\.conf entry for",
     "PostgreSQL tidak mengizinkan sambungan dari alamat ini dengan pengguna dan basis data di DATABASE_URL: "
     "tambahkan barisnya di pg_hba.conf server basis data (lalu muat ulang PostgreSQL), atau periksa DATABASE_URL."),
    (r"authentication failed for user|no password supplied|password is required",
     "PostgreSQL menolak nama pengguna atau kata sandi di DATABASE_URL: periksa keduanya di berkas env "
     "(misalnya /etc/sop-iku.env) dan di PostgreSQL, lalu jalankan lagi."),
    (r'role "[^"]*" does not exist',
     "Pengguna basis data yang dinamai DATABASE_URL tidak ada di PostgreSQL: periksa nama penggunanya di berkas env "
     "(misalnya /etc/sop-iku.env), atau buat perannya dulu (README, grant_app_role)."),
    (r'database "[^"]*" does not exist',
     "Basis data yang dinamai DATABASE_URL tidak ada di PostgreSQL: periksa namanya di berkas env "
     "(misalnya /etc/sop-iku.env), atau buat dulu (CREATE DATABASE)."),
]


def lasting_refusal(error: Exception) -> str | None:
    """What to check, in Indonesian, when `error` says the connection string is wrong (password, user,
    database, pg_hba.conf); None for what may pass (a host down, a standby being promoted)."""
    text = str(error)
    for pattern, words in LASTING_REFUSALS:
        if re.search(pattern, text):
            return words
    return None
