"""Serving a registered list as .xlsx or CSV, restricted to the rows the user may see."""
from django.http import HttpResponse
from django.utils import timezone

from districts.exports import ExportList
from portal.downloads import attachment
from portal.resources import EXPORT_FORMATS

FORMATS = {format_class().get_extension(): format_class for format_class in EXPORT_FORMATS}


def export_response(*, export_list: ExportList, user, extension: str, period=None) -> HttpResponse:
    queryset = export_list.model._default_manager.restrict(user, "view")
    if period is not None and export_list.quarterly:
        queryset = queryset.filter(period=period)
    file_format = FORMATS[extension]()
    dataset = export_list.resource().export(queryset, force_native_type=file_format.is_binary())
    content_type = file_format.get_content_type() + ("" if file_format.is_binary() else "; charset=utf-8")
    response = HttpResponse(file_format.export_data(dataset), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    suffix = f"-{period.code}" if period is not None else ""
    response["Content-Disposition"] = attachment(
        f"{export_list.label}{suffix}-{stamp}.{extension}", f"{export_list.key}{suffix}-{stamp}.{extension}")
    return response
