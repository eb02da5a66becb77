"""A server error on demand, for the tests only: tests/settings.py adds this middleware, the app's
settings never do (tests/security/test_error_pages.py checks both).

A POST carrying the header `X-Sop-Uji-Gagal` fails at its first write to the database, as a bug or
a broken disk would fail it: the view's transaction rolls back and the request ends at the 500 page,
which must give back everything the form held."""

from django.db import connection

HEADER = "X-Sop-Uji-Gagal"
WRITES = ("INSERT", "UPDATE", "DELETE")


class ForcedServerError(Exception):
    pass


def _refuse_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(WRITES):
        raise ForcedServerError(f"uji: kesalahan server dipaksa pada {sql[:40]!r}")
    return execute(sql, params, many, context)


class ForcedServerErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or HEADER not in request.headers:
            return self.get_response(request)
        with connection.execute_wrapper(_refuse_writes):
            return self.get_response(request)
