"""Health answers for a supervisor or a load balancer; each says nothing else about the install.

/sehat/: this process answers and reaches its database (liveness: deploy/liveness).
/siap/: this server may take users: the database answers and takes writes (not a standby), every
migration this code knows is applied, and the document store answers (HAProxy's check)."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from filestore.models import StoredFile


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")


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
        return _text("basis data tidak terjangkau", 503)
    return _text("sehat")


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
            return _text("basis data hanya-baca (siaga)", 503)
        if not migrations_applied():
            return _text("migrasi belum dijalankan", 503)
    except DatabaseError:
        return _text("basis data tidak terjangkau", 503)
    try:
        StoredFile.objects.only("pk").first()
    except DatabaseError:
        return _text("penyimpanan berkas tidak terjangkau", 503)
    return _text("siap")
