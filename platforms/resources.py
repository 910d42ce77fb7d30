from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from districts.resources import UnitResource
from platforms.models import Platform, PlatformMilestone


class PlatformResource(UnitResource):
    kind_label = Field(attribute="get_kind_display", column_name=_("类型"))
    level_label = Field(attribute="get_level_display", column_name=_("级别"))
    status_label = Field(attribute="get_status_display", column_name=_("状态"))

    class Meta:
        model = Platform
        fields = ["unit_code", "unit_name", "name", "kind_label", "level_label", "status_label", "theme", "featured",
                  "founded"]
        export_order = fields


class PlatformMilestoneResource(UnitResource):
    unit_code = Field(attribute="platform__unit__code", column_name=_("单位代码"))
    unit_name = Field(attribute="platform__unit__name", column_name=_("单位名称"))
    platform_name = Field(attribute="platform__name", column_name=_("创新平台"))
    period_code = Field(attribute="period__code", column_name=_("季度"))
    status_label = Field(attribute="get_status_display", column_name=_("达到状态"))

    class Meta:
        model = PlatformMilestone
        fields = ["unit_code", "unit_name", "platform_name", "period_code", "date", "title", "status_label", "note"]
        export_order = fields
