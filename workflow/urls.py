from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflow.views import actions, delegations, dossier, iku, naskah, pages

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("", pages.inbox, name="home"),
    path("arsip/", pages.archive, name="archive"),
    path("dasbor/", pages.dashboard, name="dashboard"),
    path("dosier/baru/", dossier.create, name="dossier_new"),
    path("dosier/<int:pk>/", dossier.detail, name="dossier"),
    path("dosier/<int:pk>/aksi/<str:action>/", actions.take_action, name="dossier_action"),
    path("dosier/<int:pk>/buat/<str:kind>/", naskah.buat, name="naskah_buat"),
    path("dosier/<int:pk>/cetak/<str:kind>/", naskah.cetak, name="naskah_cetak"),
    path("dosier/<int:pk>/iku/<str:stage>/", iku.iku_table, name="iku_table"),
    path("dosier/<int:pk>/iku/<str:stage>/csv/", iku.iku_csv, name="iku_csv"),
    path("dokumen/<int:pk>/", dossier.download, name="document"),
    path("pelimpahan/", delegations.delegations, name="delegations"),
    path("laporan/", include("workflow.report_urls")),
]
