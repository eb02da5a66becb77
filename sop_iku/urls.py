from django.contrib import admin
from django.urls import include, path

from naskah.views_verify import page_image, verification_page
from sop_iku.health import health, ready
from sop_iku.icon import favicon

admin.site.site_header = "SOP-IKU: administrasi"
admin.site.site_title = "SOP-IKU"
admin.site.index_title = "Data SKPD, pengguna dan dosier"

handler400 = "sop_iku.errors.bad_request"
handler403 = "sop_iku.errors.permission_denied"
handler404 = "sop_iku.errors.page_not_found"
handler500 = "sop_iku.errors.server_error"

urlpatterns = [
    path("sehat/", health, name="health"),
    path("siap/", ready, name="ready"),
    path("favicon.ico", favicon, name="favicon"),
    path("verifikasi/<str:token>/", verification_page, name="verifikasi"),
    path("verifikasi/<str:token>/halaman/<int:number>/", page_image, name="verifikasi_halaman"),
    path("admin/", admin.site.urls),
    path("dosier/<int:pk>/", include("naskah.urls")),
    path("dosier/<int:pk>/", include("iku.urls")),
    path("", include("api.urls")),
    path("", include("laporan.urls")),
    path("", include("notices.urls")),
    path("", include("workflow.urls")),
]
