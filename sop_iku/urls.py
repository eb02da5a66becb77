from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "SOP-IKU: administrasi"
admin.site.site_title = "SOP-IKU"
admin.site.index_title = "Data SKPD, pengguna dan dosier"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("dosier/<int:pk>/", include("naskah.urls")),
    path("dosier/<int:pk>/", include("iku.urls")),
    path("", include("laporan.urls")),
    path("", include("notices.urls")),
    path("", include("workflow.urls")),
]
