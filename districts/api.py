"""Read endpoints of districts: units (by code, old codes too), groups, periods and submissions."""
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from districts.api_writes import QUARTER_LOOKUP, QUARTER_PARAMETERS, REFUSALS, refusal
from districts.api_writes import router as figures_router
from districts.filtersets import PeriodFilterSet, SubmissionFilterSet, UnitFilterSet, UnitGroupFilterSet
from districts.models import Period, Submission, SubmissionEvent, Unit, UnitGroup
from districts.serializers import (
    PeriodSerializer,
    ReopenSerializer,
    ReturnSerializer,
    SubmissionSerializer,
    SubmitSerializer,
    UnitGroupSerializer,
    UnitSerializer,
)
from districts.services import submission_approve, submission_reopen, submission_return, submission_submit
from portal.api import JSON_RENDERERS, PortalReadOnlyViewSet


def period_by_code(code: str) -> Period:
    try:
        return Period.objects.get_by_code(code)
    except (ValueError, Period.DoesNotExist):
        raise Http404 from None


class UnitViewSet(PortalReadOnlyViewSet):
    """The 41 reporting units; `/api/v1/units/500234/` (an old code) finds 开州区 too."""

    queryset = Unit.objects.select_related("group").prefetch_related("aliases")
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    lookup_field = "code"
    indicator_data = True

    def get_object(self):
        unit = self.get_queryset().by_code(self.kwargs["code"]).first()
        if unit is None:
            raise Http404
        self.check_object_permissions(self.request, unit)
        return unit


class UnitGroupViewSet(PortalReadOnlyViewSet):
    queryset = UnitGroup.objects.select_related("parent")
    serializer_class = UnitGroupSerializer
    filterset_class = UnitGroupFilterSet
    lookup_field = "code"
    indicator_data = True


class PeriodViewSet(PortalReadOnlyViewSet):
    queryset = Period.objects.all()
    serializer_class = PeriodSerializer
    filterset_class = PeriodFilterSet
    lookup_field = "code"
    indicator_data = True

    def get_object(self):
        return period_by_code(self.kwargs["code"])


@extend_schema_view(retrieve=extend_schema(parameters=QUARTER_PARAMETERS))
class SubmissionViewSet(PortalReadOnlyViewSet):
    """Each unit's quarter and its state; addressed as `/api/v1/submissions/500112/2025Q4/`."""

    queryset = Submission.objects.select_related("unit", "period").prefetch_related(
        Prefetch("events", queryset=SubmissionEvent.objects.select_related("actor"))
    )
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilterSet
    lookup_fields = QUARTER_LOOKUP
    last_modified_field = "updated_at"

    def get_object(self):
        submission = (
            self.get_queryset()
            .filter(unit__in=Unit.objects.by_code(self.kwargs["unit"]), period=period_by_code(self.kwargs["period"]))
            .first()
        )
        if submission is None:
            raise Http404
        self.check_object_permissions(self.request, submission)
        return submission

    def _transition(self, service, serializer_class=serializers.Serializer, **arguments):
        """Run the action; its body is read and validated even when it takes no field, so a body that is not
        a JSON object is refused (400) rather than ignored."""
        submission = self.get_object()
        service.check_permission(self.request.user, submission=submission)
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        arguments |= data.validated_data
        try:
            service(user=self.request.user, submission=submission, **arguments)
        except REFUSALS as exc:
            raise refusal(exc) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)  # as it is now

    @extend_schema(parameters=QUARTER_PARAMETERS, request=SubmitSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], renderer_classes=JSON_RENDERERS)
    def submit(self, request, unit=None, period=None):
        """District staff submit their quarter; each warning needs an explanation."""
        return self._transition(submission_submit, SubmitSerializer)

    @extend_schema(parameters=QUARTER_PARAMETERS, request=None, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], renderer_classes=JSON_RENDERERS)
    def approve(self, request, unit=None, period=None):
        """Municipal staff approve a submitted quarter; its figures are then locked."""
        return self._transition(submission_approve)

    @extend_schema(parameters=QUARTER_PARAMETERS, request=ReturnSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return", renderer_classes=JSON_RENDERERS)
    def return_(self, request, unit=None, period=None):
        """Municipal staff send a submitted quarter back with a comment saying what to fix."""
        return self._transition(submission_return, ReturnSerializer)

    @extend_schema(parameters=QUARTER_PARAMETERS, request=ReopenSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], renderer_classes=JSON_RENDERERS)
    def reopen(self, request, unit=None, period=None):
        """Municipal staff reopen an approved quarter for the unit to correct, with the reason."""
        return self._transition(submission_reopen, ReopenSerializer)


router = SimpleRouter()
router.register("units", UnitViewSet)
router.register("groups", UnitGroupViewSet)
router.register("periods", PeriodViewSet)
router.register("submissions", SubmissionViewSet)
router.registry.extend(figures_router.registry)
