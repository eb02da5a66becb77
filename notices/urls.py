from django.urls import path

from notices import views

urlpatterns = [
    path("pemberitahuan/", views.notice_list, name="notices"),
    path("pemberitahuan/pilihan/", views.preferences, name="notice_preferences"),
]
