from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views

admin.site.site_header = admin.site.site_title = _("区县科技创新监测平台")
admin.site.index_title = _("管理后台")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("dashboards/", include("indicators.urls")),
    path("quarters/", include("districts.urls")),
    path("platforms/", include("platforms.urls")),
    path("registry/", include("enterprises.urls")),
    path("api/", include("portal.api_urls")),
    path("data/", include("districts.spreadsheets.urls")),
    path("ledger/", include("ledger.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("briefs/", include("briefs.urls")),
]
