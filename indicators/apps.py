from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标与目标")

    def ready(self):
        from districts.panels import register_unit_facts
        from districts.signals import approved_figures_changed, quarter_approved
        from indicators.facts import unit_statuses
        from indicators.receivers import on_approved_figures_changed, on_quarter_approved

        quarter_approved.connect(on_quarter_approved, dispatch_uid="indicators.quarter_approved")
        approved_figures_changed.connect(on_approved_figures_changed, dispatch_uid="indicators.figures_changed")
        register_unit_facts(unit_statuses)
