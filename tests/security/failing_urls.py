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


urlpatterns = [path("gagal/", failing), path("dosier/<int:pk>/gagal/", failing),
               path("dosier/<int:pk>/putus/", database_gone), *urlpatterns]
