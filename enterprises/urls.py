from django.urls import path

from enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.registry_overview, name="overview"),
]
