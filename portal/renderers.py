"""CSV and xlsx for every list (`?format=csv`, `?format=xlsx`): one row per result, nested fields flattened.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, so a platform name typed as "=HYPERLINK(…)" stays text. Plain numbers such
as "-12.50" are left alone: they are numbers, not formulas.
"""
import csv
import io
import json
import re
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer

from portal.cells import neutralise
from portal.downloads import attachment

DECIMAL = re.compile(r"-?\d+\.\d+")


def flatten(item: dict, prefix: str = "") -> dict:
    """{"unit": {"code": "500112"}} -> {"unit.code": "500112"}; lists become JSON text in one cell."""
    flat = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, list):
            flat[f"{prefix}{key}"] = json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def table(data) -> tuple[list[str], list[list]]:
    """Header and rows of a list response (paginated or not) or of one object."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    items = [flatten(item) for item in (data if isinstance(data, list) else [data])]
    header = list(dict.fromkeys(key for item in items for key in item))
    return header, [[neutralise(item.get(key)) for key in header] for item in items]


def columns(serializer, prefix: str = "") -> list[str]:
    """The header `flatten` gives the serializer's rows: nested serializers spread, lists in one cell."""
    names = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            names += columns(field, f"{prefix}{name}.")
        else:
            names.append(f"{prefix}{name}")
    return names


def table_of(data, view) -> tuple[list[str], list[list]]:
    """`table`, with the header row still there when the list is empty (pandas reads a header-only CSV as an
    empty frame with its columns; a file with no header at all it refuses)."""
    header, rows = table(data)
    if not header and view is not None and hasattr(view, "get_serializer"):
        header = columns(view.get_serializer())
    return header, rows


def download_names(view) -> tuple[str, str]:
    """The file's name in the reader's language (the rows' verbose name) and its ASCII fallback (the route's)."""
    fallback = getattr(view, "basename", None) or "export"
    queryset = getattr(view, "queryset", None)
    name = str(queryset.model._meta.verbose_name_plural) if queryset is not None else fallback
    return name, fallback


class TabularRenderer(BaseRenderer):
    """Errors stay JSON whatever the format asked for, so a consumer always reads the same error shape."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            response["Content-Type"] = "application/json"
            return JSONRenderer().render(data)
        if data is None:
            return b""
        view = (renderer_context or {}).get("view")
        if response is not None:
            response["Content-Disposition"] = attachment(*(f"{name}.{self.format}" for name in download_names(view)))
        return self.write(*table_of(data, view))


class CsvRenderer(TabularRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def write(self, header, rows) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
        # The byte-order mark makes Excel and WPS open UTF-8 Chinese text correctly.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class XlsxRenderer(TabularRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def write(self, header, rows) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("data")
        sheet.append(header)
        for row in rows:
            # Money arrives as decimal text ("1234.50"); write it as a number so the sheet can sum it.
            sheet.append([Decimal(c) if isinstance(c, str) and DECIMAL.fullmatch(c) else c for c in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
