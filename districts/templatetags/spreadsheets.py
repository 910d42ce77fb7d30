from django import template

from districts.exports import export_lists

register = template.Library()


@register.simple_tag
def quarterly_exports():
    """(key, label) of the lists that export one quarter, for download links on quarter pages."""
    return [(item.key, item.label) for item in export_lists if item.quarterly]
