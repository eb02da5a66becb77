from django.urls import path

from workflow import views_report

urlpatterns = [
    path("", views_report.report, name="report"),
    path("csv/", views_report.report_csv, name="report_csv"),
]
