import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

from portal.api_errors import error_message

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class ChosenLanguageMiddleware:
    """Chinese for everyone unless they chose another language with the switch in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English to
    bureau staff whose office machines run an English Windows; only the explicit choice counts here.
    The API is the exception: a client program states its language in Accept-Language (after the cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if api:
            chosen = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(chosen if chosen in self.available else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if api:
            patch_vary_headers(response, ["Accept-Language"])
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting gets a 503 that says so, not a stack trace.

    The request's transaction (ATOMIC_REQUESTS) has been rolled back by then, so nothing of it was written
    and the same action can simply be repeated; the next request connects again (CONN_HEALTH_CHECKS drops
    a persistent connection the restart broke). The page is rendered without the request's context, whose
    processors would ask the database again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            body = {"code": "database_unavailable", "message": error_message("database_unavailable"), "errors": {}}
            response = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
