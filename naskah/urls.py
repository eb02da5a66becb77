from django.urls import path

from naskah import views

# Mounted under dosier/<pk>/.
urlpatterns = [
    path("buat/<str:kind>/", views.buat, name="naskah_buat"),
    path("cetak/<str:kind>/", views.cetak, name="naskah_cetak"),
    path("halaman/<str:kind>/<int:number>/", views.page_image, name="naskah_halaman"),
]
