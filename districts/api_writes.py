"""The API's writes: a unit's quarter of figures, the bulk write, and the submission workflow.

Every write calls the districts services, the same code path as the quarter page, the admin and the
Excel import, so validation and access are the same; their refusals become the API's error shape.
"""
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from districts.authentication import ApiKeyRateThrottle
from districts.bulk import figures_bulk_save
from districts.exceptions import AccessDenied, FiguresRejected, QuarterConflict, TransitionRefused
from districts.figures import quarter_values
from districts.models import Period, Submission, Unit
from districts.registry import sections
from districts.serializers import (
    BulkQuerySerializer,
    BulkRejectedSerializer,
    BulkRequestSerializer,
    BulkResultSerializer,
    FiguresSaveResultSerializer,
    FiguresWriteSerializer,
    QuarterFiguresSerializer,
)
from districts.services import ExplanationsMissing, figures_save, quarter_editable
from portal.api import ApiViewMixin
from portal.api_errors import ApiError
from portal.parsers import CsvParser

# A unit's quarter is `/{unit}/{period}/` (`/figures/500112/2025Q4/`; the old single `{key}` 500112/2025Q4 is
# the same path). Any segment reaches the view, so a malformed code is the API's JSON 404.
QUARTER_LOOKUP = {"unit": "[^/]+", "period": "[^/]+"}
QUARTER_PARAMETERS = [
    OpenApiParameter("unit", {"type": "string", "pattern": r"^[0-9A-Za-z]+$"}, OpenApiParameter.PATH,
                     description="区县代码，如 500112（旧代码可用）"),
    OpenApiParameter("period", {"type": "string", "pattern": r"^\d{4}[Qq][1-4]$"}, OpenApiParameter.PATH,
                     description="季度，如 2025Q4"),
]


CSV_BODY = {"type": "string",
            "description": "UTF-8 或 GBK 编码的 CSV：标题行为 unit、可选 period 与 version，其余为指标键"}


def refusal(exc: Exception) -> ApiError:
    """The API error for a refusal of the districts services."""
    if isinstance(exc, ExplanationsMissing):
        return _problems_error(exc, "explanations_missing", "以下预警需填写情况说明后才能提交",
                               "Explain each warning before submitting")
    if isinstance(exc, FiguresRejected):
        return _problems_error(exc, "figures_rejected", "数据未通过校验，未写入任何数据",
                               "The figures failed validation; nothing was written")
    # The message is the same in both languages; the service's own reason, in the language asked for,
    # is in errors.
    reason = {"non_field_errors": [str(exc)]}
    if isinstance(exc, QuarterConflict):
        version = exc.current_version
        return ApiError(status_code=409, code="version_conflict", errors={"expected_version": [str(exc)]},
                        zh=f"本季度已被他人修改（现为第 {version} 版），未写入；请重新读取后再改",
                        en=f"The quarter changed (now version {version}); nothing was written. Reload and retry")
    if isinstance(exc, TransitionRefused):
        return ApiError(status_code=409, code="transition_refused", errors=reason,
                        zh="季度当前的状态不允许这一步，原因见 errors",
                        en="Not allowed in the quarter's current state; see errors")
    if isinstance(exc, AccessDenied):
        return ApiError(status_code=403, code="permission_denied", errors=reason,
                        zh="您不能修改该单位的这一季度，原因见 errors",
                        en="You may not change this unit's quarter; see errors")
    raise exc


def _problems_error(exc: FiguresRejected, code: str, zh: str, en: str) -> ApiError:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(problem.figure or "values", []).append(problem.message)
    return ApiError(status_code=400, code=code, zh=zh, en=en, errors=errors)


REFUSALS = (AccessDenied, FiguresRejected, QuarterConflict, TransitionRefused)


def quarter_of(user, unit_code: str, period_code: str) -> tuple[Unit, Period]:
    """The unit (through restrict) and period named by `500112` and `2025Q4`, or 404."""
    unit = Unit.objects.restrict(user, "view").by_code(unit_code).first()
    try:
        period = Period.objects.get_by_code(period_code)
    except (ValueError, Period.DoesNotExist):
        period = None
    if unit is None or period is None:
        raise Http404
    return unit, period


def bulk_arguments(request) -> dict:
    """The bulk write's arguments from its body and query string: `dry_run` and `period` may be in either,
    and a value given in both must agree, so `?dry_run=true` with `"dry_run": false` never writes."""
    body = BulkRequestSerializer(data=request.data if isinstance(request.data, dict) else {})
    query = BulkQuerySerializer(data={name: request.query_params[name] for name in BulkQuerySerializer().fields
                                      if name in request.query_params})
    body.is_valid(raise_exception=True)
    query.is_valid(raise_exception=True)
    arguments, asked = body.validated_data, query.validated_data
    disagree = {
        name: [_("查询参数 %(name)s=%(query)s 与请求体中的 %(body)s 不一致；只写一处，或两处写同一个值")
               % {"name": name, "query": request.query_params[name], "body": arguments[name]}]
        for name in asked if name in arguments and str(asked[name]).upper() != str(arguments[name]).upper()
    }
    if disagree:
        raise ValidationError(disagree)
    return arguments | asked


class QuarterFiguresViewSet(ApiViewMixin, viewsets.ViewSet):
    """A unit's quarter as value keys (`enterprises.tech_smes`…): read it, write part of it, or write many."""

    lookup_fields = QUARTER_LOOKUP
    parser_classes = [JSONParser]
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

    @extend_schema(parameters=QUARTER_PARAMETERS, responses=QuarterFiguresSerializer)
    def retrieve(self, request, unit=None, period=None):
        unit, period = quarter_of(request.user, unit, period)
        return Response(QuarterFiguresSerializer(self._quarter(unit, period)).data)

    @extend_schema(parameters=QUARTER_PARAMETERS, request=FiguresWriteSerializer,
                   responses=FiguresSaveResultSerializer)
    def partial_update(self, request, unit=None, period=None):
        """Create or update some of the quarter's values (JSON); `expected_version` refuses a stale write (409)."""
        unit, period = quarter_of(request.user, unit, period)
        data = FiguresWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            saved = figures_save(user=request.user, unit=unit, period=period, **data.validated_data)
        except REFUSALS as exc:
            raise refusal(exc) from exc
        return Response(FiguresSaveResultSerializer(saved).data)

    @extend_schema(
        request={"application/json": BulkRequestSerializer, "text/csv": CSV_BODY},
        responses={200: BulkResultSerializer, 400: BulkRejectedSerializer},
        parameters=[
            OpenApiParameter("dry_run", bool, description="只校验不写入：回答真正写入时的新增、更新、不变与冲突"),
            OpenApiParameter("period", str, description="各行未写季度时使用的季度，如 2025Q4"),
        ],
    )
    @action(detail=False, methods=["post"], parser_classes=[JSONParser, CsvParser])
    def bulk(self, request):
        """Many units' quarter figures in one request (JSON `rows`, or CSV with a header of `unit`,
        `period` and value keys); all or nothing, answered with created/updated/unchanged and conflicts."""
        result = figures_bulk_save(user=request.user, **bulk_arguments(request))
        answer = BulkResultSerializer(result).data
        if result.conflicts:
            count = len(result.conflicts)
            answer |= {"code": "figures_rejected", "errors": {}, "message": {
                "zh": f"有 {count} 处冲突，未写入任何数据", "en": f"{count} conflicts found; nothing was written"}}
            for conflict in result.conflicts:
                answer["errors"].setdefault(f"rows[{conflict.row}].{conflict.field}", []).append(conflict.message)
        return Response(answer, status=status.HTTP_400_BAD_REQUEST if result.conflicts else status.HTTP_200_OK)


router = SimpleRouter()
router.register("figures", QuarterFiguresViewSet, basename="figures")
