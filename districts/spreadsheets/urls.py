from django.urls import path

from districts.spreadsheets import import_views, views

app_name = "spreadsheets"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("template/", views.template_download, name="template"),
    path("export/<slug:key>.<str:extension>", views.export_download, name="export"),
    path("import/", import_views.import_upload, name="upload"),
    path("import/<int:pk>/", import_views.import_job, name="job"),
    path("import/<int:pk>/status/", import_views.import_job_status, name="job-status"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="confirm"),
]
