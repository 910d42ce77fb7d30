from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf_download, name="pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx_download, name="xlsx"),
    path("<int:pk>/sensitivity/", views.sensitivity_view, name="sensitivity"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
    path("schemes/<int:pk>/compute/", views.scheme_compute, name="compute"),
]
