"""Health answers for a supervisor or a load balancer; each says nothing else about the install.

/sehat/: this process answers and reaches its database (liveness: deploy/liveness).
/siap/: this server may take users: the database answers and takes writes (not a standby), every
migration this code knows is applied, and the document store answers (HAProxy's check).

Both are answered by HealthCheckMiddleware, first of all, whatever the request's Host: liveness asks
http://127.0.0.1:8000/sehat/ and a load balancer's check may send no Host or its own, which Django
refused (DisallowedHost, 400) and mailed to the admins at every check. The answer is one word, with
no link or address built from the Host, so a forged one changes nothing. A 503 here is a state the
operator sees on HAProxy's page or in the journal (a warning when it begins, a line when it ends),
never a mail: during a database outage every check of every server answers it. A check answered
well writes nothing (gunicorn.conf.py leaves the checks out of the access log)."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from filestore.models import StoredFile
from sop_iku.postgresql import without_waiting

logger = logging.getLogger("sop_iku.health")


# What each check last answered wrong in this process, and how often since: HAProxy asks every second,
# and a line per check buried the journal during an outage. The change is said, not each check.
_trouble: dict[str, tuple[str, int]] = {}


def _say_change(path: str, trouble: str | None) -> None:
    before, checks = _trouble.get(path, (None, 0))
    if trouble is None:
        if before is not None:
            del _trouble[path]
            logger.info("%s kembali menjawab 200 setelah %d pemeriksaan menjawab 503 (%s).", path, checks, before)
    elif trouble == before:
        _trouble[path] = (trouble, checks + 1)
    else:
        _trouble[path] = (trouble, 1)
        logger.warning("%s menjawab 503: %s. Dicatat sekali, sampai jawabannya berubah.", path, trouble)


def _text(request, body: str, status: int = 200) -> HttpResponse:
    response = HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")
    _say_change(request.path, body if status >= 500 else None)
    if status >= 500:
        # Django's request log would record it as an error at each check, which mails DJANGO_ADMINS.
        response._has_been_logged = True
    return response


def _ask(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@login_not_required
@never_cache
def health(request):
    try:
        _ask("SELECT 1")
    except DatabaseError:
        return _text(request, "basis data tidak terjangkau", 503)
    return _text(request, "sehat")


# Once this process has seen its migrations applied they stay applied (a new release comes with a new
# process), so the migration graph is read once, not on every check.
_migrated = False


def migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


@login_not_required
@never_cache
def ready(request):
    try:
        _ask("SELECT 1")
        if connection.vendor == "postgresql" and _ask("SELECT pg_is_in_recovery()"):
            return _text(request, "basis data hanya-baca (siaga)", 503)
        if not migrations_applied():
            return _text(request, "migrasi belum dijalankan", 503)
    except DatabaseError:
        return _text(request, "basis data tidak terjangkau", 503)
    try:
        StoredFile.objects.only("pk").first()
    except DatabaseError:
        return _text(request, "penyimpanan berkas tidak terjangkau", 503)
    return _text(request, "siap")


CHECKS = {"/sehat/": health, "/siap/": ready}


class HealthCheckMiddleware:
    """Answers /sehat/ and /siap/ before any other middleware reads the Host (CommonMiddleware,
    SecurityMiddleware's redirect), the session or the user; with no wait for a failover
    (sop_iku.postgresql), so a check during one answers 503 within HAProxy's second."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = CHECKS.get(request.path_info)
        if view is None:
            return self.get_response(request)
        with without_waiting():
            return view(request)
