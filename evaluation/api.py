from django.db.models import Prefetch
from rest_framework.routers import SimpleRouter

from evaluation.choices import EvaluationState
from evaluation.filtersets import EvaluationFilterSet
from evaluation.models import Evaluation, InputValue, UnitResult
from evaluation.serializers import EvaluationSerializer
from portal.api import PortalReadOnlyViewSet


class EvaluationViewSet(PortalReadOnlyViewSet):
    """Published evaluations only (drafts are never served): the frozen method, every unit's inputs, scores,
    ranks and reasons."""

    queryset = (
        Evaluation.objects.filter(state=EvaluationState.PUBLISHED).select_related("scheme__period")
        .prefetch_related(Prefetch("results", queryset=UnitResult.objects.select_related("unit", "peer_group")
                                   .order_by("rank", "unit__order")),
                          Prefetch("inputs", queryset=InputValue.objects.select_related("unit")
                                   .order_by("unit__order", "scheme_indicator_id")))
        .order_by("-published_at")
    )
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet


router = SimpleRouter()
router.register("evaluations", EvaluationViewSet)
