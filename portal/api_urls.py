"""/api/v1/ gathers each app's router; /api/schema/ and /api/docs/ describe it."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from districts.api import router as districts_router
from enterprises.api import router as enterprises_router
from evaluation.api import router as evaluation_router
from funds.api import router as funds_router
from indicators.api import router as indicators_router
from platforms.api import router as platforms_router

router = DefaultRouter()
for app_router in (districts_router, enterprises_router, funds_router, platforms_router, indicators_router,
                   evaluation_router):
    router.registry.extend(app_router.registry)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
