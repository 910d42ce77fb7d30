"""/api/v1/ gathers the router of every app's `api` module; /api/schema/ and /api/docs/ describe it."""
from csp.decorators import csp_exempt
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from portal.app_modules import app_modules

router = DefaultRouter()
for _label, module in app_modules("api"):
    if (app_router := getattr(module, "router", None)) is not None:
        router.registry.extend(app_router.registry)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so Swagger UI runs under the CSP's script-src.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc needs inline script and styles and web-font hosts: a developer page that shows only our schema.
    path("redoc/", csp_exempt()(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
