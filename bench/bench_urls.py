from django.urls import path

from bench.floor import floor
from sop_iku.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("_lantai/", floor, name="bench_floor"), *app_urlpatterns]
