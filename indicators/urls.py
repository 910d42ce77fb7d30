from django.urls import path

from indicators import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("outcome/", views.outcome, name="outcome"),
    path("units/<str:code>/", views.unit_page, name="unit"),
    path("data/<slug:dataset>.<str:fmt>", views.download, name="download"),
]
