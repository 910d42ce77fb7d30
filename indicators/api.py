from django.db import connection, transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.http import quote_etag
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
from portal.caching import cached_in_process
from portal.pagination import PageNumberPagination

# The browsable API shows the request itself, so it is rendered each time.
RENDERED_ONCE = ("json", "csv", "xlsx")
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "X-Total-Count", "Link")
NEWER_DATA_WAITING = "X-Newer-Data-Waiting"  # not kept with a page: it changes while the page does not
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
    """The dashboard snapshots, cheap to poll: a conditional GET with the last ETag answers 304.

    A page of an unchanged snapshot is served as the bytes rendered the first time it was asked for, in the
    format asked for (see indicators/snapshot_cache.py): its ETag is that entry's key, so a warm request reads
    the latest run and the cache, and no row.
    """

    queryset = IndicatorValue.objects.select_related(
        "plan", "indicator", "period", "group", "unit", "baseline_period", "target_period"
    )
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    pagination_class = SnapshotPagination
    indicator_data = True
    last_modified_field = "computed_at"

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Reads only: no request transaction to open and commit around them (under READ COMMITTED it would not
        # make the run and the rows one snapshot either; the run is read first, so an entry is never older).
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def handle_exception(self, exc):
        # DRF's error handler marks the request's transaction for rollback. This view runs outside one, so a
        # transaction found open around it (a test's) is not the request's to mark.
        outer = transaction.get_rollback() if connection.in_atomic_block else None
        try:
            return super().handle_exception(exc)
        finally:
            if outer is not None:
                transaction.set_rollback(outer)

    @cached_property
    def state(self) -> tuple:
        """The latest succeeded run and whether newer data is waiting for a run, read together."""
        return selectors.dashboard_state()

    @cached_property
    def latest_run(self):
        return self.state[0]

    def finalize_response(self, request, response, *args, **kwargs):
        """Every answer with values (and a 304 to a poll) says whether a change is not in them yet: a run requested
        for it has not succeeded (the dashboards' "newer data waiting" banner)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code in (200, 304):
            response[NEWER_DATA_WAITING] = "true" if self.state[1] else "false"
        return response

    def page_key(self, queryset) -> str | None:
        """The cache key of this page as asked for, keyed by the filtered rows' SQL, the URL (its links name the
        next page) and the media type (format, indent); None for made-up parameters, which are not cached."""
        if not hasattr(self, "_page_key"):  # asked for by the ETag, then by the page, of the same queryset
            self._page_key = None
            known = {*self.filterset_class.base_filters, "page", "page_size", "format"}
            if not set(self.request.query_params) - known:
                params = {"url": self.request.build_absolute_uri(), "media": str(self.request.accepted_media_type)}
                self._page_key = snapshot_cache.snapshot_key("api:indicator-values", values=queryset,
                                                             run=self.latest_run, params=params)
        return self._page_key

    def _validators(self, queryset) -> tuple[str, object]:
        """The page's cache key stands for everything the page depends on, so it is its ETag, without reading a
        row; a one-unit run re-ranks other units' rows without recomputing them, hence the run's time."""
        key = self.page_key(queryset)
        if key is None:
            return super()._validators(queryset)
        run = self.latest_run
        return quote_etag(key.removeprefix("dashboards:")[:32]), run.finished_at if run else None

    def freshness(self) -> tuple[str, object]:
        """For pages not cached: the rows carry unit and plan names, and their ranks move with other units' runs."""
        run = self.latest_run
        return snapshot_cache.snapshot_stamp(run), run.finished_at if run else None

    def page_response(self, queryset):
        key = self.page_key(queryset)
        if key is None or self.request.accepted_renderer.format not in RENDERED_ONCE:
            return super().page_response(queryset)
        body, headers = cached_in_process(key, lambda: self.rendered_page(queryset))
        return HttpResponse(body, headers=headers)

    def rendered_page(self, queryset) -> tuple[bytes, dict]:
        response = super().page_response(queryset)
        response.accepted_renderer = self.request.accepted_renderer
        response.accepted_media_type = self.request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
        return response.content, {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}

    def page_data(self, queryset) -> list:
        """The same JSON as the serializer (which documents it), from .values() rows: see serializers.py."""
        return indicator_values_data(self.paginate_queryset(indicator_value_lookups(queryset)))


router = SimpleRouter()
router.register("indicators", IndicatorViewSet)
router.register("plans", PlanViewSet)
router.register("targets", TargetViewSet)
router.register("indicator-values", IndicatorValueViewSet)
