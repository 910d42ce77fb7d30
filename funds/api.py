from django.db.models import OuterRef, Subquery
from rest_framework.routers import SimpleRouter

from funds.filtersets import EconomyFiguresFilterSet, FundAllocationFilterSet, FundFilterSet, FundFlowFilterSet
from funds.models import EconomyFigures, Fund, FundAllocation, FundFlow
from funds.serializers import EconomyFiguresSerializer, FundAllocationSerializer, FundFlowSerializer, FundSerializer
from portal.api import PortalReadOnlyViewSet


class EconomyFiguresViewSet(PortalReadOnlyViewSet):
    """R&D spending, industrial output and GDP of each unit, year to date at quarter end (万元)."""

    queryset = EconomyFigures.objects.select_related("unit", "period", "updated_by")
    serializer_class = EconomyFiguresSerializer
    filterset_class = EconomyFiguresFilterSet
    last_modified_field = "updated_at"


class FundViewSet(PortalReadOnlyViewSet):
    queryset = Fund.objects.all()
    serializer_class = FundSerializer
    filterset_class = FundFilterSet
    lookup_field = "code"


class FundFlowViewSet(PortalReadOnlyViewSet):
    """Money each unit received and disbursed per fund, year to date at quarter end (万元)."""

    queryset = FundFlow.objects.select_related("unit", "period", "fund", "updated_by")
    serializer_class = FundFlowSerializer
    filterset_class = FundFlowFilterSet
    last_modified_field = "updated_at"


# The latest quarter's year-to-date disbursement, in the list query itself (no query per row).
LATEST_DISBURSED = FundFlow.objects.filter(
    fund=OuterRef("fund"), unit=OuterRef("unit"), period__year=OuterRef("year")
).order_by("-period__ordinal").values("disbursed")[:1]


class FundAllocationViewSet(PortalReadOnlyViewSet):
    """Money of each fund allocated to a unit for a year, with what was disbursed so far."""

    queryset = FundAllocation.objects.select_related("unit", "fund").annotate(
        disbursed_to_date=Subquery(LATEST_DISBURSED)
    )
    serializer_class = FundAllocationSerializer
    filterset_class = FundAllocationFilterSet


router = SimpleRouter()
router.register("economy-figures", EconomyFiguresViewSet)
router.register("funds", FundViewSet)
router.register("fund-flows", FundFlowViewSet)
router.register("fund-allocations", FundAllocationViewSet)
