from django.urls import path

from enterprises import cultivation_views, import_views, views

app_name = "enterprises"
urlpatterns = [
    path("", views.registry_overview, name="overview"),
    path("import/", import_views.status_list_upload, name="import"),
    path("cultivation/", cultivation_views.cultivation_list_page, name="cultivation"),
    path("cultivation/<int:pk>/", cultivation_views.cultivation_entry_page, name="cultivation_entry"),
]
