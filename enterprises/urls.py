from django.urls import path

from enterprises import import_views, views

app_name = "enterprises"
urlpatterns = [
    path("", views.registry_overview, name="overview"),
    path("import/", import_views.status_list_upload, name="import"),
]
