"""The portal's URLs plus the bare baseline view; used only by bench/settings.py and the smoke test."""
from django.urls import path

from bench.views import bare_enterprises, bare_values
from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/bare-values/", bare_values, name="bench-bare-values"),
    path("bench/bare-enterprises/", bare_enterprises, name="bench-bare-enterprises"),
    *portal_urlpatterns,
]
