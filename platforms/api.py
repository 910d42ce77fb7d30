from django.db.models import Prefetch
from rest_framework.routers import SimpleRouter

from platforms.filtersets import PlatformFilterSet, PlatformMilestoneFilterSet
from platforms.models import Platform, PlatformMilestone
from platforms.serializers import PlatformMilestoneSerializer, PlatformSerializer
from portal.api import PortalReadOnlyViewSet


class PlatformViewSet(PortalReadOnlyViewSet):
    """Innovation platforms of each unit, each with its milestones."""

    queryset = Platform.objects.select_related("unit").prefetch_related(
        Prefetch("milestones", queryset=PlatformMilestone.objects.select_related("period"))
    )
    serializer_class = PlatformSerializer
    filterset_class = PlatformFilterSet


class PlatformMilestoneViewSet(PortalReadOnlyViewSet):
    queryset = PlatformMilestone.objects.select_related("period")
    serializer_class = PlatformMilestoneSerializer
    filterset_class = PlatformMilestoneFilterSet


router = SimpleRouter()
router.register("platforms", PlatformViewSet)
router.register("platform-milestones", PlatformMilestoneViewSet)
