"""`?format=`: one of the formats the endpoint documents, or a 404 that says so (never the browsable page)."""
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation

# The browsable API answers browsers that ask for text/html; as a `format` it is not part of the schema.
UNDOCUMENTED = {"api"}


def documented_formats(renderers) -> list[str]:
    return [renderer.format for renderer in renderers if renderer.format not in UNDOCUMENTED]


class UnknownFormat(NotFound):
    default_code = "unknown_format"  # its messages are in portal/api_errors.py, like DRF's own errors'


class FormatNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if asked and asked not in documented_formats(renderers):
            raise UnknownFormat()
        return super().select_renderer(request, renderers, format_suffix)
