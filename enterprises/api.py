from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.routers import SimpleRouter

from enterprises.cultivation import with_progress
from enterprises.filtersets import (
    CultivationEntryFilterSet,
    EnterpriseFiguresFilterSet,
    EnterpriseFilterSet,
    StatusRecordFilterSet,
)
from enterprises.models import CultivationEntry, CultivationNote, Enterprise, EnterpriseFigures, StatusRecord
from enterprises.serializers import (
    CultivationEntrySerializer,
    EnterpriseFiguresSerializer,
    EnterpriseSerializer,
    StatusRecordSerializer,
)
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


class CultivationEntryViewSet(PortalReadOnlyViewSet):
    """The cultivation lists: each entry with whether its enterprise holds the tier today and held it on the due
    day, its reserve-pool recommendation and its quarterly notes."""

    queryset = CultivationEntry.objects.select_related("unit", "enterprise").prefetch_related(
        Prefetch("notes", CultivationNote.objects.select_related("period")))
    serializer_class = CultivationEntrySerializer
    filterset_class = CultivationEntryFilterSet
    last_modified_field = "updated_at"

    def get_queryset(self):
        return with_progress(super().get_queryset(), timezone.localdate())


router = SimpleRouter()
router.register("enterprise-figures", EnterpriseFiguresViewSet)
router.register("enterprises", EnterpriseViewSet)
router.register("status-records", StatusRecordViewSet)
router.register("cultivation-entries", CultivationEntryViewSet)
