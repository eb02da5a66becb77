from django.contrib.auth import views as auth_views
from django.urls import include, path

from workflow.views import actions, delegations, dispositions, dossier, pages
from workflow.views.password import ForgottenPassword, Login, PasswordChange, SetPassword

# What acts on one dossier, mounted under dosier/<pk>/; the naskah and IKU apps mount theirs there too.
dossier_urls = [
    path("", dossier.detail, name="dossier"),
    path("riwayat/", dossier.history, name="dossier_history"),
    path("aksi/<str:action>/", actions.take_action, name="dossier_action"),
    path("disposisi/", dispositions.give, name="disposition_new"),
    path("disposisi/<int:disposition>/selesai/", dispositions.done, name="disposition_done"),
]

urlpatterns = [
    path("masuk/", Login.as_view(), name="login"),
    path("masuk/lupa/", ForgottenPassword.as_view(), name="password_forgotten"),
    path("kata-sandi/atur/<str:kind>/<uidb64>/<token>/", SetPassword.as_view(), name="password_set"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", PasswordChange.as_view(), name="password_change"),
    path("kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", pages.inbox, name="home"),
    path("arsip/", pages.archive, name="archive"),
    path("dosier/baru/", dossier.create, name="dossier_new"),
    path("dosier/<int:pk>/", include(dossier_urls)),
    path("dokumen/<int:pk>/", dossier.download, name="document"),
    path("pelimpahan/", delegations.delegations, name="delegations"),
    path("pelimpahan/<int:pk>/akhiri/", delegations.end_delegation, name="delegation_end"),
]
