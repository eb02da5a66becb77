"""A URLconf with one view that fails, to see the 500 page the real handlers give."""

from django.urls import path

from sop_iku.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def failing(request, **kwargs):
    raise RuntimeError("sengaja gagal")


urlpatterns = [path("gagal/", failing), path("dosier/<int:pk>/gagal/", failing), *urlpatterns]
