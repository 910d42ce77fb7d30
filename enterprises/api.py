from rest_framework.routers import SimpleRouter

from enterprises.filtersets import EnterpriseFiguresFilterSet
from enterprises.models import EnterpriseFigures
from enterprises.serializers import EnterpriseFiguresSerializer
from portal.api import PortalReadOnlyViewSet


class EnterpriseFiguresViewSet(PortalReadOnlyViewSet):
    """Enterprise counts of each unit at quarter end."""

    queryset = EnterpriseFigures.objects.select_related("unit", "period", "updated_by")
    serializer_class = EnterpriseFiguresSerializer
    filterset_class = EnterpriseFiguresFilterSet
    last_modified_field = "updated_at"


router = SimpleRouter()
router.register("enterprise-figures", EnterpriseFiguresViewSet)
