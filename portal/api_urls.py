"""/api/v1/ gathers the router of every app's `api` module; /api/schema/ and /api/docs/ describe it."""
from csp.decorators import csp_exempt
from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from portal.api_errors import error_message
from portal.app_modules import app_modules
from portal.routers import PortalRouter

router = PortalRouter()
for _label, module in app_modules("api"):
    if (app_router := getattr(module, "router", None)) is not None:
        router.registry.extend(app_router.registry)


def no_such_path(request, path):
    """Any other path under /api/ that ends in a slash (the others get APPEND_SLASH's redirect): the API's
    JSON 404, the same as a row that is absent or not yours."""
    body = {"code": "not_found", "message": error_message("not_found"), "errors": {}}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so Swagger UI runs under the CSP's script-src.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc needs inline script and styles and web-font hosts: a developer page that shows only our schema.
    path("redoc/", csp_exempt()(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    re_path(r"^(?P<path>.*/)$", no_such_path),
]
