"""The API's writes: a unit's quarter of figures, the bulk write, and the submission workflow.

Every write calls the districts services, the same code path as the quarter page, the admin and the
Excel import, so validation and access are the same; their refusals become the API's error shape.
"""
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from districts.authentication import ApiKeyRateThrottle
from districts.bulk import figures_bulk_save
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict, TransitionRefused
from districts.figures import quarter_values
from districts.models import Period, Submission, Unit
from districts.registry import sections
from districts.serializers import (
    BulkRejectedSerializer,
    BulkRequestSerializer,
    BulkResultSerializer,
    FiguresSaveResultSerializer,
    FiguresWriteSerializer,
    QuarterFiguresSerializer,
)
from districts.services import ExplanationsMissing, figures_save, quarter_editable
from portal.api_errors import ApiError
from portal.json_parser import DepthLimitedJsonParser
from portal.parsers import CsvParser

# "500112/2025Q4". One segment alone also reaches the view, so a malformed key is a JSON 404; the second
# segment must look like a quarter, so "…/submit/" and the other actions are not taken for a key.
QUARTER_KEY_REGEX = r"[^/]+(?:/\d{4}[Qq][1-4])?"
QUARTER_KEY = OpenApiParameter(
    "key", str, OpenApiParameter.PATH, description="区县代码/季度，如 500112/2025Q4（旧代码可用）"
)


def refusal(exc: Exception) -> ApiError:
    """The API error for a refusal of the districts services."""
    if isinstance(exc, ExplanationsMissing):
        return _problems_error(exc, "explanations_missing", "以下预警需填写情况说明后才能提交",
                               "Explain each warning before submitting")
    if isinstance(exc, FiguresRejected):
        return _problems_error(exc, "figures_rejected", "数据未通过校验，未写入任何数据",
                               "The figures failed validation; nothing was written")
    if isinstance(exc, QuarterConflict):
        return ApiError(status_code=409, code="version_conflict", zh=str(exc),
                        en=f"The quarter changed (now version {exc.current_version}); reload and retry")
    if isinstance(exc, TransitionRefused):
        return ApiError(status_code=409, code="transition_refused", zh=str(exc),
                        en="Not allowed in the submission's current state")
    if isinstance(exc, AccessDenied):
        return ApiError(status_code=403, code="permission_denied", zh=str(exc),
                        en="You may not change this unit's quarter")
    raise exc


def _problems_error(exc: FiguresRejected, code: str, zh: str, en: str) -> ApiError:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(problem.figure or "values", []).append(problem.message)
    return ApiError(status_code=400, code=code, zh=zh, en=en, errors=errors)


REFUSALS = (AccessDenied, FiguresRejected, QuarterConflict, TransitionRefused)


def quarter_of(user, key: str) -> tuple[Unit, Period]:
    """The unit (through restrict) and period named by `500112/2025Q4`, or 404."""
    unit_code, _, period_code = key.partition("/")
    unit = Unit.objects.restrict(user, "view").by_code(unit_code).first()
    try:
        period = Period.objects.get_by_code(period_code)
    except (ValueError, Period.DoesNotExist):
        period = None
    if unit is None or period is None:
        raise Http404
    return unit, period


class QuarterFiguresViewSet(viewsets.ViewSet):
    """A unit's quarter as value keys (`enterprises.tech_smes`…): read it, write part of it, or write many."""

    lookup_field = "key"
    lookup_value_regex = QUARTER_KEY_REGEX
    parser_classes = [DepthLimitedJsonParser, CsvParser]
    throttle_classes = [ApiKeyRateThrottle]

    def _quarter(self, unit, period) -> dict:
        submission = Submission.objects.filter(unit=unit, period=period).first()
        return {
            "unit": unit.code, "unit_name": unit.name, "period": period.code,
            "state": submission.state if submission else None,
            "version": submission.version if submission else None,
            "editable": quarter_editable(user=self.request.user, unit=unit, period=period),
            # every figure the quarter asks for, blank ones as null
            "values": dict.fromkeys(slot.key for slot in sections.slots()) | quarter_values(unit=unit, period=period),
        }

    @extend_schema(parameters=[QUARTER_KEY], responses=QuarterFiguresSerializer)
    def retrieve(self, request, key=None):
        unit, period = quarter_of(request.user, key)
        return Response(QuarterFiguresSerializer(self._quarter(unit, period)).data)

    @extend_schema(parameters=[QUARTER_KEY], request=FiguresWriteSerializer, responses=FiguresSaveResultSerializer)
    def partial_update(self, request, key=None):
        """Create or update some of the quarter's values; `expected_version` refuses a stale write (409)."""
        unit, period = quarter_of(request.user, key)
        figures_save.check_permission(request.user, unit=unit, period=period)
        data = FiguresWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            saved = figures_save(user=request.user, unit=unit, period=period, **data.validated_data)
        except REFUSALS as exc:
            raise refusal(exc) from exc
        return Response(FiguresSaveResultSerializer(saved).data)

    @extend_schema(
        request={"application/json": BulkRequestSerializer, "text/csv": BulkRequestSerializer},
        responses={200: BulkResultSerializer, 400: BulkRejectedSerializer},
        parameters=[
            OpenApiParameter("dry_run", bool, description="只校验不写入：回答真正写入时的新增、更新、不变与冲突"),
            OpenApiParameter("period", str, description="各行未写季度时使用的季度，如 2025Q4"),
        ],
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Many units' quarter figures in one request (JSON `rows`, or CSV with a header of `unit`,
        `period` and value keys); all or nothing, answered with created/updated/unchanged and conflicts."""
        figures_bulk_save.check_permission(request.user)
        body = dict(request.data) if isinstance(request.data, dict) else {}
        for name in ("dry_run", "period"):
            if name in request.query_params:
                body.setdefault(name, request.query_params[name])
        data = BulkRequestSerializer(data=body)
        data.is_valid(raise_exception=True)
        result = figures_bulk_save(user=request.user, **data.validated_data)
        answer = BulkResultSerializer(result).data
        if result.conflicts:
            zh = f"有 {len(result.conflicts)} 处冲突，未写入任何数据"
            answer |= {"code": "figures_rejected", "errors": {},
                       "message": {"zh": zh, "en": "Conflicts found; nothing was written"}}
            for conflict in result.conflicts:
                answer["errors"].setdefault(f"rows[{conflict.row}].{conflict.field}", []).append(conflict.message)
        return Response(answer, status=status.HTTP_400_BAD_REQUEST if result.conflicts else status.HTTP_200_OK)


router = SimpleRouter()
router.register("figures", QuarterFiguresViewSet, basename="figures")
