from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from evaluation.models import Dimension, Evaluation, EvaluationRun, Scheme, SchemeIndicator
from evaluation.report import visible_evaluations
from evaluation.services import evaluation_create, evaluation_publish, evaluation_request_compute
from evaluation.weights import check_weights_sum_to_one
from portal.admin import RestrictedAdmin, RestrictedTabularInline


class WeightsSumToOne(BaseInlineFormSet):
    """The rows kept in the form must weigh 1 together (the model's clean() checks what is saved)."""

    level = ""

    def clean(self):
        super().clean()
        kept = [f.cleaned_data.get("weight") for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        check_weights_sum_to_one(kept, level=str(self.level))


class DimensionFormSet(WeightsSumToOne):
    level = _("评价维度")


class IndicatorFormSet(WeightsSumToOne):
    level = _("维度内指标")


class DimensionInline(RestrictedTabularInline):
    model = Dimension
    formset = DimensionFormSet
    extra = 0
    show_change_link = True


class SchemeIndicatorInline(RestrictedTabularInline):
    model = SchemeIndicator
    formset = IndicatorFormSet
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(RestrictedAdmin):
    list_display = ["name", "year", "period", "normalisation", "missing_rule"]
    list_filter = ["year", "normalisation", "missing_rule"]
    filter_horizontal = ["units", "peer_groups"]
    inlines = [DimensionInline]
    actions = ["create_evaluation"]

    @admin.action(description=_("按当前数据计算新版本评价"))
    def create_evaluation(self, request, queryset):
        for scheme in queryset:
            try:
                evaluation = evaluation_create(scheme=scheme)
            except ValidationError as exc:
                self.message_user(request, f"{scheme}：{'；'.join(exc.messages)}", messages.ERROR)
                continue
            evaluation_request_compute(evaluation=evaluation, actor=request.user)
            self.message_user(request, _("已排队计算：%s") % evaluation)


@admin.register(Dimension)
class DimensionAdmin(RestrictedAdmin):
    list_display = ["name", "scheme", "weight", "order"]
    list_filter = ["scheme"]
    inlines = [SchemeIndicatorInline]


class EvaluationRunInline(RestrictedTabularInline):
    model = EvaluationRun
    extra = 0
    can_delete = False
    fields = readonly_fields = ["status", "progress", "requested_by", "created_at", "started_at", "finished_at",
                                "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(RestrictedAdmin):
    list_display = ["scheme", "version", "state", "computed_at", "published_at", "published_by"]
    list_filter = ["state", "scheme__year"]
    readonly_fields = ["scheme", "version", "state", "computed_at", "published_at", "published_by"]
    inlines = [EvaluationRunInline]
    actions = ["publish"]

    def get_queryset(self, request):
        # As on the report pages: district staff see published evaluations only, never a draft.
        return super().get_queryset(request).filter(pk__in=visible_evaluations(request.user).values("pk"))

    def has_add_permission(self, request):
        return False  # versions are made from a scheme, explicitly

    @admin.action(description=_("发布所选评价（发布后冻结）"))
    def publish(self, request, queryset):
        for evaluation in queryset:
            try:
                evaluation_publish(evaluation=evaluation, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{evaluation}：{'；'.join(exc.messages)}", messages.ERROR)


@admin.register(EvaluationRun)
class EvaluationRunAdmin(RestrictedAdmin):
    list_display = ["evaluation", "status", "progress", "requested_by", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in EvaluationRun._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(evaluation__in=visible_evaluations(request.user))

    def has_add_permission(self, request):
        return False
