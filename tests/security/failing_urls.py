"""A URLconf with one view that fails, to see the 500 page the real handlers give."""

import psycopg
from django.db import OperationalError
from django.urls import path

from sop_iku.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def failing(request, **kwargs):
    raise RuntimeError("sengaja gagal")


def database_gone(request, **kwargs):
    """What Django raises when the primary stops under a request (psycopg's error as the cause)."""
    try:
        raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")
    except psycopg.OperationalError as cut:
        raise OperationalError(*cut.args) from cut


def database_refuses(request, **kwargs):
    """What Django raises when PostgreSQL refuses DATABASE_URL's password: no failover mends it."""
    try:
        raise psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                                       'FATAL:  password authentication failed for user "sopiku_app"')
    except psycopg.OperationalError as refused:
        raise OperationalError(*refused.args) from refused


urlpatterns = [path("gagal/", failing), path("dosier/<int:pk>/gagal/", failing),
               path("dosier/<int:pk>/putus/", database_gone), path("dosier/<int:pk>/ditolak/", database_refuses),
               *urlpatterns]
