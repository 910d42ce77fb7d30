from django.contrib import admin

from districts.figures_admin import QuarterFiguresAdmin
from enterprises.models import EnterpriseFigures
from enterprises.resources import EnterpriseFiguresResource
from portal.admin import ExportAdminMixin


@admin.register(EnterpriseFigures)
class EnterpriseFiguresAdmin(ExportAdminMixin, QuarterFiguresAdmin):
    resource_classes = [EnterpriseFiguresResource]
    list_display = ["unit", "period", "tech_smes", "high_tech", "specialised_smes", "little_giants", "updated_at"]
    list_filter = ["period", "unit__group"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]
