from django.urls import path

from briefs import views

app_name = "briefs"
urlpatterns = [
    path("", views.brief_list, name="list"),
    path("<int:pk>.pdf", views.brief_download, name="download"),
    path("generate/", views.brief_generate, name="generate"),
    path("subscription/", views.subscription, name="subscription"),
]
