"""The API's router: a viewset may name its rows by more than one path parameter."""
from rest_framework.routers import DefaultRouter


class PortalRouter(DefaultRouter):
    """`lookup_fields = {"unit": regex, "period": regex}` on a viewset gives `/submissions/{unit}/{period}/`:
    each part is its own path parameter, so a generated client fills them in without encoding a slash."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        fields = getattr(viewset, "lookup_fields", None)
        if not fields:
            return super().get_lookup_regex(viewset, lookup_prefix)
        return "/".join(f"(?P<{lookup_prefix}{name}>{regex})" for name, regex in fields.items())
