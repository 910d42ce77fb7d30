from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import roles


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("指标与目标")
    role_permissions = roles.domain_permissions("indicators")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from districts.models import Unit, UnitGroup
        from districts.panels import register_unit_facts
        from districts.signals import approved_figures_changed, quarter_approved, quarter_reopened
        from enterprises.signals import registry_changed
        from indicators import receivers
        from indicators.facts import unit_statuses
        from indicators.models import Indicator, Plan, Target
        from indicators.snapshot_cache import reference_changed

        quarter_approved.connect(receivers.on_quarter_approved, dispatch_uid="indicators.quarter_approved")
        quarter_reopened.connect(receivers.on_quarter_reopened, dispatch_uid="indicators.quarter_reopened")
        approved_figures_changed.connect(receivers.on_approved_figures_changed,
                                         dispatch_uid="indicators.figures_changed")
        pre_save.connect(receivers.remember_unit_fields, sender=Unit, dispatch_uid="indicators.recompute.unit.pre")
        post_save.connect(receivers.on_unit_saved, sender=Unit, dispatch_uid="indicators.recompute.unit")
        post_delete.connect(receivers.on_reference_changed, sender=Unit, dispatch_uid="indicators.recompute.unit.del")
        for model in (Plan, Target, Indicator, UnitGroup):
            for signal in (post_save, post_delete):
                signal.connect(receivers.on_reference_changed, sender=model,
                               dispatch_uid=f"indicators.recompute.{model.__name__}")
        registry_changed.connect(receivers.on_registry_changed, dispatch_uid="indicators.recompute.registry")
        register_unit_facts(unit_statuses)
        # The dashboards show these beside the snapshot rows: an edit shows at once, without a recompute.
        for model in (Plan, Target, Indicator, Unit, UnitGroup):
            for signal in (post_save, post_delete):
                signal.connect(reference_changed, sender=model, dispatch_uid=f"indicators.cache.{model.__name__}")
