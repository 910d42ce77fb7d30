from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def chart_labels() -> dict:
    """The words drawn inside the charts, in the page's language (static/js/dashboards.js reads them)."""
    return {
        "actual": _("实际值"), "path": _("计划路径"), "target": _("目标值"), "quarterly": _("单季发生额"),
        "ytd": _("年初累计"), "value": _("数值"), "progress": _("完成进度（%）"), "status": _("状态"),
        "rank": _("排名"), "no_data": _("无数据"), "high": _("高"), "low": _("低"), "yi": _("亿元"),
    }
