from django.urls import path

from iku import views, views_versions

# Mounted under dosier/<pk>/.
urlpatterns = [
    path("iku/templat.xlsx", views.iku_template, name="iku_template"),
    path("iku/draf/", views.iku_draft, name="iku_draft"),
    path("iku/unggah/", views.iku_upload, name="iku_upload"),
    path("iku/salin-tahun-lalu/", views.iku_copy_last_year, name="iku_copy_last_year"),
    path("iku/salin-dibatalkan/", views.iku_copy_cancelled, name="iku_copy_cancelled"),
    path("iku/ingatkan/", views.iku_remind, name="iku_remind"),
    path("iku/<str:stage>/", views.iku_table, name="iku_table"),
    path("iku/<str:stage>/csv/", views.iku_csv, name="iku_csv"),
    path("iku/<str:stage>/xlsx/", views.iku_xlsx, name="iku_xlsx"),
    path("iku/<str:stage>/versi/<int:skpd>/", views_versions.compare_versions, name="iku_versions"),
]
