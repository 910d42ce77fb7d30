"""What every API endpoint shares: the access rule, paging, formats, conditional GET and the schema.

Each app builds its endpoints on `PortalReadOnlyViewSet`, whose queryset always goes through
`restrict(request.user, "view")`: the API never shows a row the same person could not see on a page.
"""
import hashlib

from django.db.models import Count, Max
from django.utils.http import http_date, parse_etags, parse_http_date_safe, quote_etag
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import status, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from portal.pagination import PageNumberPagination
from portal.querysets import RestrictedQuerySet
from portal.renderers import CsvRenderer, XlsxRenderer


def restrict_for(queryset, user):
    """Rows of district-scoped models through restrict(); shared reference tables (groups, periods,
    indicators, plans) are readable by whoever passed ApiAccess. An anonymous caller only gets this far
    for the indicator endpoints with PUBLIC_INDICATORS on (ApiAccess decides first): public, unrestricted."""
    if isinstance(queryset, RestrictedQuerySet) and user.is_authenticated:
        return queryset.restrict(user, "view")
    return queryset


class PortalReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read endpoints: restricted rows, filters from the app's FilterSet, paging, JSON/CSV/xlsx.

    `last_modified_field` (e.g. "updated_at") turns on ETag and Last-Modified for the list, computed
    with one aggregate query before any row is read, so an unchanged poll costs that one query.
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CsvRenderer, XlsxRenderer]
    filter_backends = [DjangoFilterBackend]
    pagination_class = PageNumberPagination
    # Any path segment reaches the view, so a malformed code is a JSON 404 from the API, not an HTML one.
    lookup_value_regex = "[^/]+"
    indicator_data = False
    last_modified_field: str | None = None

    def get_queryset(self):
        return restrict_for(super().get_queryset(), self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        validators = self._validators(queryset) if self.last_modified_field else None
        if validators and self._not_modified(request, *validators):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = self.page_response(queryset)
        if validators:
            etag, last_modified = validators
            response["ETag"] = etag
            if last_modified:
                response["Last-Modified"] = http_date(last_modified.timestamp())
            response["Cache-Control"] = "private, no-cache"
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
        depends_on, changed_at = self.freshness()
        fingerprint = "|".join([
            str(self.request.user.pk), self.request.get_full_path(), self.request.accepted_renderer.format,
            str(stamp["last"]), str(stamp["rows"]), getattr(self.request, "LANGUAGE_CODE", ""), depends_on,
        ])
        last = max((at for at in (stamp["last"], changed_at) if at), default=None)
        return quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32]), last

    @staticmethod
    def _not_modified(request, etag, last_modified) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match:
            return etag in parse_etags(if_none_match) or if_none_match.strip() == "*"
        since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
        return bool(since and last_modified and int(last_modified.timestamp()) <= since)
