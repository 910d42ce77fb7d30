from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import celery_broker
from districts.models import Unit
from evaluation.choices import RunStatus
from evaluation.models import Dimension, Evaluation
from evaluation.services import (
    evaluation_create,
    evaluation_new_version,
    evaluation_publish,
    evaluation_request_compute,
)
from evaluation.tests.conftest import FIGURES, FOUR, put_figures


def computed(scheme, django_capture_on_commit_callbacks, **kwargs):
    evaluation = evaluation_create(scheme=scheme, **kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        run = evaluation_request_compute(evaluation=evaluation)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return evaluation


def scores(evaluation):
    return {r.unit.code: (pytest.approx(r.score), r.rank) for r in evaluation.results.select_related("unit")}


def test_the_job_scores_and_ranks_units_from_their_figures(scheme, period, django_capture_on_commit_callbacks):
    put_figures(period, FIGURES)
    evaluation = computed(scheme, django_capture_on_commit_callbacks)
    assert scores(evaluation) == {"500103": (55, 1), "500105": (50, 2), "500112": (35, 4), "500114": (45, 3)}
    jiangbei = evaluation.results.get(unit__code="500105")
    assert jiangbei.missing_count == 1
    assert evaluation.inputs.get(unit__code="500105", scheme_indicator__indicator__code="giants_down").missing
    # 渝中, 江北, 渝北 are ranked among the central districts; 黔江 alone among Wuling
    assert evaluation.results.get(unit__code="500112").group_rank == 3
    assert evaluation.results.get(unit__code="500114").group_rank == 1


def test_units_recommended_for_recognition_carry_their_reasons_in_figures(
    scheme, period, django_capture_on_commit_callbacks
):
    put_figures(period, FIGURES)
    evaluation = computed(scheme, django_capture_on_commit_callbacks)
    recommended = evaluation.results.filter(recommended=True).order_by("rank")
    assert [r.unit.code for r in recommended] == ["500103", "500105"]
    assert recommended[0].reasons[0] == "综合得分 55，全市第1位"
    assert any("企业结构得分 100" in reason for reason in recommended[0].reasons)


def test_weights_that_do_not_sum_to_one_are_refused(scheme):
    Dimension.objects.filter(scheme=scheme, name="企业结构").update(weight=Decimal("0.5"))
    with pytest.raises(ValidationError) as refused:
        scheme.full_clean()
    assert "评价维度的权重之和应为 1" in str(refused.value)
    assert "1.1" in str(refused.value)
    with pytest.raises(ValidationError):
        evaluation_create(scheme=scheme)
    assert not Evaluation.objects.exists()


def test_indicator_weights_inside_a_dimension_must_sum_to_one(scheme):
    size = scheme.dimensions.get(name="企业规模")
    size.indicators.filter(indicator__code="high_tech").update(weight=Decimal("0.2"))
    with pytest.raises(ValidationError) as refused:
        size.full_clean()
    assert "企业规模的权重之和应为 1" in str(refused.value)


def test_a_published_evaluation_is_unchanged_after_the_figures_change(
    scheme, period, city_staff, django_capture_on_commit_callbacks
):
    put_figures(period, FIGURES)
    published = evaluation_publish(evaluation=computed(scheme, django_capture_on_commit_callbacks), actor=city_staff)
    before = scores(published)
    put_figures(period, {"500112": (500, 70, 0)})  # 渝北 reports far more

    with pytest.raises(ValidationError):
        evaluation_request_compute(evaluation=published)
    assert scores(published) == before

    with django_capture_on_commit_callbacks(execute=True):
        fresh = evaluation_new_version(evaluation=published, actor=city_staff)
    assert fresh.version == 2
    assert scores(fresh)["500112"][1] == 1
    assert scores(Evaluation.objects.get(pk=published.pk)) == before


def test_rank_change_is_measured_against_the_previous_published_evaluation(
    scheme, period, city_staff, django_capture_on_commit_callbacks
):
    put_figures(period, FIGURES)
    earlier = evaluation_publish(evaluation=computed(scheme, django_capture_on_commit_callbacks), actor=city_staff)
    put_figures(period, {"500112": (500, 70, 0)})
    later = computed(scheme, django_capture_on_commit_callbacks, previous=earlier)
    yubei = later.results.get(unit=Unit.objects.get(code="500112"))
    assert (yubei.rank, yubei.rank_change) == (1, 3)


def test_the_scheme_compares_only_its_chosen_units(scheme, period, django_capture_on_commit_callbacks):
    put_figures(period, FIGURES)
    evaluation = computed(scheme, django_capture_on_commit_callbacks)
    assert set(evaluation.results.values_list("unit__code", flat=True)) == set(FOUR)


def test_a_computation_already_queued_is_not_queued_again(scheme, django_capture_on_commit_callbacks):
    evaluation = evaluation_create(scheme=scheme)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = evaluation_request_compute(evaluation=evaluation)
        second = evaluation_request_compute(evaluation=evaluation)
    assert first == second
    assert len(queued) == 1


def test_with_the_broker_down_the_run_fails_with_the_reason_and_the_next_request_starts_anew(
        scheme, django_capture_on_commit_callbacks):
    evaluation = evaluation_create(scheme=scheme)
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        refused = evaluation_request_compute(evaluation=evaluation)
    refused.refresh_from_db()
    assert refused.status == RunStatus.FAILED and "消息队列不可用" in refused.error
    with django_capture_on_commit_callbacks(execute=True):  # the broker is back
        again = evaluation_request_compute(evaluation=evaluation)
    again.refresh_from_db()
    assert again.pk != refused.pk and again.status == RunStatus.SUCCEEDED
