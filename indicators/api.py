from django.db.models import Prefetch
from rest_framework.routers import SimpleRouter

from indicators.filtersets import IndicatorFilterSet, PlanFilterSet, TargetFilterSet
from indicators.models import Indicator, Plan, Target
from indicators.serializers import IndicatorSerializer, PlanSerializer, TargetSerializer
from portal.api import PortalReadOnlyViewSet

TARGETS = Target.objects.select_related("plan", "indicator", "period", "group", "unit")


class IndicatorViewSet(PortalReadOnlyViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    indicator_data = True


class PlanViewSet(PortalReadOnlyViewSet):
    """Plans with their targets (city, group or unit quotas) and the indicators they cover."""

    queryset = Plan.objects.select_related("baseline").prefetch_related(Prefetch("targets", queryset=TARGETS))
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    lookup_field = "code"
    indicator_data = True


class TargetViewSet(PortalReadOnlyViewSet):
    queryset = TARGETS
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    indicator_data = True


router = SimpleRouter()
router.register("indicators", IndicatorViewSet)
router.register("plans", PlanViewSet)
router.register("targets", TargetViewSet)
