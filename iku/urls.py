from django.urls import path

from iku import views

# Mounted under dosier/<pk>/.
urlpatterns = [
    path("iku/<str:stage>/", views.iku_table, name="iku_table"),
    path("iku/<str:stage>/csv/", views.iku_csv, name="iku_csv"),
]
