from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("new/", views.task_form, name="task_new"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/edit/", views.task_form, name="task_edit"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("export/<str:unit_code>.xlsx", views.ledger_export, name="export"),
    path("leader/", views.leader_page, name="leader"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/items/<int:pk>/answer/", views.round_answer, name="round_answer"),
]
