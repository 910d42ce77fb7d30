from django.urls import path

from districts import views

app_name = "districts"
urlpatterns = [
    path("", views.quarter_list, name="quarters"),
    path("<str:period_code>/", views.completeness, name="completeness"),
    path("<str:period_code>/actions/<str:action>/", views.period_action, name="period_action"),
    path("<str:period_code>/<str:unit_code>/", views.quarter_page, name="quarter"),
]
