"""The PostgreSQL backend (base.py); here what a caller may ask of it without importing psycopg."""

import contextvars
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
