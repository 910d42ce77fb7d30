from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Chinese for everyone unless they chose another language with the switch in the header.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which shows English to
    bureau staff whose office machines run an English Windows; only the explicit choice counts here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = dict(settings.LANGUAGES)

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(chosen if chosen in self.available else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
