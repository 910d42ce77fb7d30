"""Page-number paging for every API list (its own module: DRF settings import it before the viewsets exist)."""
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


def is_positive_integer(text: str) -> bool:
    # Bounded length: int() of thousands of digits is slow, and refused by Python beyond 4300.
    return text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=500`; a page size above the maximum is refused, like one of 0."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    known_count: int | None = None  # the rows a list has just counted for its ETag: paging need not count again

    def django_paginator_class(self, object_list, per_page):
        paginator = Paginator(object_list, per_page)
        if self.known_count is not None:
            paginator.count = self.known_count
        return paginator

    def paginate_queryset(self, queryset, request, view=None):
        # DRF ignores a malformed page_size, caps a large one silently and answers a malformed page with 404:
        # say what is accepted instead.
        errors = {}
        raw_page, raw_size = (request.query_params.get(name) for name in (self.page_query_param,
                                                                          self.page_size_query_param))
        if raw_page is not None and raw_page not in self.last_page_strings and not is_positive_integer(raw_page):
            errors[self.page_query_param] = [_("页码须为正整数（从 1 开始）。")]
        if raw_size is not None and not (is_positive_integer(raw_size) and int(raw_size) <= self.max_page_size):
            message = _("每页行数须为 1 到 %(max)s 之间的整数。") % {"max": self.max_page_size}
            errors[self.page_size_query_param] = [message]
        if errors:
            raise ValidationError(errors)
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise PageNotFound() from None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # CSV and xlsx lose the JSON envelope; the count and the next page travel in headers too.
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = [f'<{url}>; rel="{rel}"' for rel, url in
                 (("next", self.get_next_link()), ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.page_query_param: {"minimum": 1},
                  self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size}}
        for parameter in parameters:
            parameter["schema"] |= bounds.get(parameter["name"], {})
        return parameters


class PageNotFound(NotFound):
    """A page past the last one: not the same answer as a row that is absent or not yours."""

    default_code = "page_not_found"  # its messages are in portal/api_errors.py, like DRF's own errors'
