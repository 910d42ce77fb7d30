from rest_framework.routers import SimpleRouter

from enterprises.filtersets import EnterpriseFiguresFilterSet, EnterpriseFilterSet, StatusRecordFilterSet
from enterprises.models import Enterprise, EnterpriseFigures, StatusRecord
from enterprises.serializers import EnterpriseFiguresSerializer, EnterpriseSerializer, StatusRecordSerializer
from portal.api import PortalReadOnlyViewSet


class EnterpriseFiguresViewSet(PortalReadOnlyViewSet):
    """Enterprise counts of each unit at quarter end."""

    queryset = EnterpriseFigures.objects.select_related("unit", "period", "updated_by")
    serializer_class = EnterpriseFiguresSerializer
    filterset_class = EnterpriseFiguresFilterSet
    last_modified_field = "updated_at"


class EnterpriseViewSet(PortalReadOnlyViewSet):
    """The enterprise registry: business-sensitive, so the indicator-only key scope does not reach it."""

    queryset = Enterprise.objects.select_related("unit")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    last_modified_field = "updated_at"


class StatusRecordViewSet(PortalReadOnlyViewSet):
    """Status records of the registry's enterprises (certificates, registrations, listings)."""

    queryset = StatusRecord.objects.select_related("enterprise__unit")
    serializer_class = StatusRecordSerializer
    filterset_class = StatusRecordFilterSet
    last_modified_field = "updated_at"


router = SimpleRouter()
router.register("enterprise-figures", EnterpriseFiguresViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("status-records", StatusRecordViewSet)
