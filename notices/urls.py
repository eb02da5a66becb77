from django.urls import path

from notices import views

urlpatterns = [
    path("pemberitahuan/", views.notice_list, name="notices"),
    path("pemberitahuan/<int:pk>/", views.open_notice, name="notice_open"),
    path("pemberitahuan/pilihan/", views.preferences, name="notice_preferences"),
]
