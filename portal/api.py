"""What every API endpoint shares: the access rule, paging, formats, conditional GET and the schema.

Each app builds its endpoints on `PortalReadOnlyViewSet`, whose queryset always goes through
`restrict(request.user, "view")`: the API never shows a row the same person could not see on a page.
"""
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from rest_framework import serializers, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from portal.filtering import StrictFilterBackend
from portal.pagination import PageNumberPagination
from portal.querysets import RestrictedQuerySet
from portal.renderers import CsvRenderer, XlsxRenderer

# Workflow actions and writes answer JSON only: a CSV or xlsx of an action's result is nobody's use.
JSON_RENDERERS = [JSONRenderer, BrowsableAPIRenderer]
CACHE_CONTROL = "private, no-cache"


def restrict_for(queryset, user):
    """Rows of district-scoped models through restrict(); shared reference tables (groups, periods,
    indicators, plans) are readable by whoever passed ApiAccess. An anonymous caller only gets this far
    for the indicator endpoints with PUBLIC_INDICATORS on (ApiAccess decides first): public, unrestricted."""
    if isinstance(queryset, RestrictedQuerySet) and user.is_authenticated:
        return queryset.restrict(user, "view")
    return queryset


def rate_limit_headers(request, response) -> None:
    """X-RateLimit-Limit, -Remaining and -Reset (Unix time when the oldest counted request leaves the window,
    freeing one) on every answer to a key, from the `request.rate_limit` its throttle leaves."""
    for name, value in zip(("Limit", "Remaining", "Reset"), getattr(request, "rate_limit", ()), strict=False):
        response[f"X-RateLimit-{name}"] = str(value)


def written(service, **arguments):
    """Call a write service; its refusal of the data becomes the API's 400 naming each field."""
    try:
        return service(**arguments)
    except ValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        raise serializers.ValidationError({("non_field_errors" if field == "__all__" else field): messages
                                           for field, messages in detail.items()}) from exc


class ApiViewMixin:
    """Every answer carries the caller's rate limit; every successful read an ETag (strong or weak
    If-None-Match gives 304). A view that can tell its ETag before reading sets it itself (see list below);
    the others get one from the data they answer, in the format and language asked for."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        rate_limit_headers(request, response)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not response.has_header("ETag"):
            fingerprint = json.dumps([response.data, request.accepted_renderer.format], cls=DjangoJSONEncoder,
                                     sort_keys=True, ensure_ascii=False)
            response["ETag"] = quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
            response["Cache-Control"] = CACHE_CONTROL
            response = get_conditional_response(request, etag=response["ETag"], response=response)
        return response


class PortalReadOnlyViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    """Read endpoints: restricted rows, filters from the app's FilterSet, paging, JSON/CSV/xlsx.

    `last_modified_field` (e.g. "updated_at") turns on ETag and Last-Modified for the list, computed
    with one aggregate query before any row is read, so an unchanged poll costs that one query; its row count
    is the page's count too.
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CsvRenderer, XlsxRenderer]
    filter_backends = [StrictFilterBackend]
    pagination_class = PageNumberPagination
    # Any path segment reaches the view, so a malformed code is a JSON 404 from the API, not an HTML one.
    lookup_value_regex = "[^/]+"
    indicator_data = False
    last_modified_field: str | None = None

    def get_queryset(self):
        return restrict_for(super().get_queryset(), self.request.user)

    def get_renderers(self):
        """A viewset that also writes (create, update) answers its writes in JSON only, like every action."""
        if self.action in ("create", "update", "partial_update"):
            return [renderer() for renderer in JSON_RENDERERS]
        return super().get_renderers()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if not self.last_modified_field:
            return self.page_response(queryset)
        etag, last_modified = self._validators(queryset)
        stamp = int(last_modified.timestamp()) if last_modified else None
        response = get_conditional_response(request, etag=etag, last_modified=stamp) or self.page_response(queryset)
        response["ETag"] = etag
        if stamp:
            response["Last-Modified"] = http_date(stamp)
        response["Cache-Control"] = CACHE_CONTROL
        return response

    def page_response(self, queryset) -> Response:
        """The requested page, paginated; a hot list may override it (indicator values cache theirs)."""
        return self.get_paginated_response(self.page_data(queryset))

    def page_data(self, queryset) -> list:
        """The serialized rows of the requested page; a hot list may override it with a cheaper read."""
        return self.get_serializer(self.paginate_queryset(queryset), many=True).data

    def freshness(self) -> tuple[str, object]:
        """What else the rows depend on beyond their own `last_modified_field`, and when it last changed:
        a list whose rows can change without that field (ranks moved, a joined name) overrides it."""
        return "", None

    def _validators(self, queryset) -> tuple[str, object]:
        stamp = queryset.order_by().aggregate(last=Max(self.last_modified_field), rows=Count("pk"))
        self.paginator.known_count = stamp["rows"]
        depends_on, changed_at = self.freshness()
        fingerprint = "|".join([
            str(self.request.user.pk), self.request.get_full_path(), self.request.accepted_renderer.format,
            str(stamp["last"]), str(stamp["rows"]), getattr(self.request, "LANGUAGE_CODE", ""), depends_on,
        ])
        last = max((at for at in (stamp["last"], changed_at) if at), default=None)
        return quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32]), last
