"""A page whose big parts were rendered earlier (and cached as bytes): the template renders the page around
markers, and the parts go in where their markers are.

The template engine copies a string at every level it passes it through (variable, include, block, extends):
a 500 KB cached table costs more that way than reading it from the cache.
"""
import re
import secrets

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

MARK = secrets.token_hex(16)  # unguessable, so no text shown on the page (a unit's name) can pass for a marker
MARKER = re.compile(f"<!--{MARK}:(\\w+)-->")


def render_spliced(request, template: str, context: dict, parts: dict[str, bytes]) -> HttpResponse:
    """`render(request, template, context)` with each of `parts` in place of the variable of its name."""
    markers = {name: mark_safe(f"<!--{MARK}:{name}-->") for name in parts}  # noqa: S308 (our own text)
    pieces = MARKER.split(render_to_string(template, context | markers, request))
    # split() alternates the page's text (even places) and the names of the markers between them (odd places)
    return HttpResponse([parts[piece] if i % 2 else piece.encode() for i, piece in enumerate(pieces)])
