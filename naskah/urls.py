from django.urls import path

from naskah import views, views_srikandi

# Mounted under dosier/<pk>/.
urlpatterns = [
    path("buat/<str:kind>/", views.buat, name="naskah_buat"),
    path("cetak/<str:kind>/", views.cetak, name="naskah_cetak"),
    path("halaman/<str:kind>/<int:number>/", views.page_image, name="naskah_halaman"),
    path("tinjau/<str:kind>/", views.review_part, name="naskah_tinjau"),
    path("disiapkan/", views.jobs_part, name="naskah_disiapkan"),
    path("disiapkan/<int:job>/", views.job_part, name="naskah_proses"),
    path("tandatangani/<int:document>/", views.tandatangani, name="naskah_tandatangani"),
    path("srikandi/<int:document>/json/", views_srikandi.as_json, name="srikandi_json"),
    path("srikandi/<int:document>/csv/", views_srikandi.as_csv, name="srikandi_csv"),
    path("srikandi/<int:document>/zip/", views_srikandi.as_zip, name="srikandi_zip"),
    path("srikandi/<int:document>/nomor/", views_srikandi.record_number, name="srikandi_nomor"),
]
