from django.db.models import Prefetch
from django.utils.functional import cached_property
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from indicators import selectors, snapshot_cache
from indicators.filtersets import IndicatorFilterSet, IndicatorValueFilterSet, PlanFilterSet, TargetFilterSet
from indicators.models import Indicator, IndicatorValue, Plan, Target
from indicators.serializers import (
    IndicatorSerializer,
    IndicatorValueSerializer,
    PlanSerializer,
    TargetSerializer,
    indicator_value_lookups,
    indicator_values_data,
)
from portal.api import PortalReadOnlyViewSet
from portal.caching import cached
from portal.pagination import PageNumberPagination

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


class SnapshotPagination(PageNumberPagination):
    """Up to 5000 rows a page: every unit of one quarter in one response, at national scale (~2,850 units)."""

    max_page_size = 5000


class IndicatorValueViewSet(PortalReadOnlyViewSet):
    """The dashboard snapshots, cheap to poll: a conditional GET with the last ETag answers 304."""

    queryset = IndicatorValue.objects.select_related(
        "plan", "indicator", "period", "group", "unit", "baseline_period", "target_period"
    )
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    pagination_class = SnapshotPagination
    indicator_data = True
    last_modified_field = "computed_at"

    def freshness(self) -> tuple[str, object]:
        """A one-unit run re-ranks other units' rows without recomputing them, and the rows carry unit and
        plan names: the latest run and the reference version are part of every row's state."""
        run = self.latest_run
        return snapshot_cache.snapshot_stamp(run), run.finished_at if run else None

    @cached_property
    def latest_run(self):
        return selectors.latest_run()

    def page_response(self, queryset) -> Response:
        """A page of an unchanged snapshot comes from the cache (see indicators/snapshot_cache.py), keyed by
        the filtered rows' SQL and the URL (its links name the next page); made-up parameters are not cached."""
        known = {*self.filterset_class.base_filters, "page", "page_size", "format"}
        if set(self.request.query_params) - known:
            return super().page_response(queryset)
        key = snapshot_cache.snapshot_key("api:indicator-values", values=queryset, run=self.latest_run,
                                          params={"url": self.request.build_absolute_uri()})
        data, headers = cached(key, lambda: self.fresh_page(queryset))
        response = Response(data, headers=headers)
        response.rendered_cache_key = key  # CSV and xlsx of the page are cached alike (portal/renderers.py)
        return response

    def fresh_page(self, queryset) -> tuple[dict, dict]:
        response = super().page_response(queryset)
        return response.data, {name: response[name] for name in ("X-Total-Count", "Link") if response.has_header(name)}

    def page_data(self, queryset) -> list:
        """The same JSON as the serializer (which documents it), from .values() rows: see serializers.py."""
        return indicator_values_data(self.paginate_queryset(indicator_value_lookups(queryset)))


router = SimpleRouter()
router.register("indicators", IndicatorViewSet)
router.register("plans", PlanViewSet)
router.register("targets", TargetViewSet)
router.register("indicator-values", IndicatorValueViewSet)
