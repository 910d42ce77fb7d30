"""/api/v1/ gathers each app's router; /api/schema/ and /api/docs/ describe it."""
from csp.decorators import csp_exempt
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from districts.api import router as districts_router
from enterprises.api import router as enterprises_router
from evaluation.api import router as evaluation_router
from funds.api import router as funds_router
from indicators.api import router as indicators_router
from ledger.api import router as ledger_router
from platforms.api import router as platforms_router

router = DefaultRouter()
for app_router in (districts_router, enterprises_router, funds_router, platforms_router, indicators_router,
                   evaluation_router, ledger_router):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so Swagger UI runs under the CSP's script-src.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc needs inline script and styles and web-font hosts: a developer page that shows only our schema.
    path("redoc/", csp_exempt()(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
]
