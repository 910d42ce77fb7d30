"""Page-number paging for every API list (its own module: DRF settings import it before the viewsets exist)."""
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def is_positive_integer(text: str) -> bool:
    # Bounded length: int() of thousands of digits is slow, and refused by Python beyond 4300.
    return text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=500`; a page holds at most 1000 rows whatever is asked."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        # DRF ignores a malformed page_size and answers a malformed page with 404: say what is accepted.
        errors = {}
        for name, accepted in ((self.page_query_param, _("页码须为正整数（从 1 开始）。")),
                               (self.page_size_query_param, _("每页行数须为 1 到 %(max)s 之间的整数。")
                                % {"max": self.max_page_size})):
            raw = request.query_params.get(name)
            if raw is not None and raw not in self.last_page_strings and not is_positive_integer(raw):
                errors[name] = [accepted]
        if errors:
            raise ValidationError(errors)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # CSV and xlsx lose the JSON envelope; the count and the next page travel in headers too.
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = [f'<{url}>; rel="{rel}"' for rel, url in
                 (("next", self.get_next_link()), ("prev", self.get_previous_link())) if url]
        if links:
            response["Link"] = ", ".join(links)
        return response
