from django.urls import path

from laporan import views

urlpatterns = [
    path("dasbor/", views.dashboard, name="dashboard"),
    path("laporan/", views.report, name="report"),
    path("laporan/csv/", views.report_csv, name="report_csv"),
]
