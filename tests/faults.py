"""A server error or a busy database on demand, for the tests only: tests/settings.py adds this
middleware, the app's settings never do (tests/security/test_error_pages.py checks both).

A POST carrying the header `X-Sop-Uji-Gagal` fails at its first write to the database:
- `1`: as a bug or a broken disk would fail it: the view's transaction rolls back and the request
  ends at the 500 page, which must give back everything the form held;
- `sibuk`: as SQLite says another writer holds the database past the busy timeout ("database is
  locked"), and PostgreSQL a lock not granted within lock_timeout: an OperationalError, which the
  form must come back from whole, saying the database was busy."""

from functools import partial

from django.db import OperationalError, connection

HEADER = "X-Sop-Uji-Gagal"
BUSY = "sibuk"
WRITES = ("INSERT", "UPDATE", "DELETE")


class ForcedServerError(Exception):
    pass


def _refuse_writes(failure, execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(WRITES):
        raise failure(f"uji: {sql[:40]!r} ditolak")
    return execute(sql, params, many, context)


class ForcedServerErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or HEADER not in request.headers:
            return self.get_response(request)
        failure = OperationalError if request.headers[HEADER] == BUSY else ForcedServerError
        with connection.execute_wrapper(partial(_refuse_writes, failure)):
            return self.get_response(request)
