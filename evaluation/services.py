"""Writes with rules for evaluations: create a version, compute it, publish it, make a new version."""
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import index
from evaluation.choices import EvaluationState, RunStatus
from evaluation.definitions import input_definition, input_is_count, input_name
from evaluation.inputs import indicator_values
from evaluation.method import scheme_method
from evaluation.models import Evaluation, EvaluationRun, InputValue, Scheme, UnitResult
from evaluation.recognition import recognise
from indicators.models import Indicator
from portal.celery import send_on_commit

logger = logging.getLogger(__name__)


def _refuse_if_published(evaluation: Evaluation) -> None:
    if evaluation.is_published:
        raise ValidationError(_("该评价已发布，结果已冻结；如需重新计算，请新建一个版本。"), code="published")


def _previous_published(scheme: Scheme) -> Evaluation | None:
    return (
        Evaluation.objects.filter(state=EvaluationState.PUBLISHED, scheme__period__ordinal__lt=scheme.period.ordinal)
        .order_by("-scheme__period__ordinal", "-published_at").first()
    )


@transaction.atomic
def evaluation_create(*, scheme: Scheme, previous: Evaluation | None = None) -> Evaluation:
    """A new draft version of a scheme's evaluation, compared with `previous` or the last published one."""
    scheme.full_clean()
    for dimension in scheme.dimensions.all():
        dimension.full_clean()
    last = Scheme.objects.select_for_update().filter(pk=scheme.pk).aggregate(v=Max("evaluations__version"))["v"]
    evaluation = Evaluation(scheme=scheme, version=(last or 0) + 1, previous=previous or _previous_published(scheme),
                            method=scheme_method(scheme))
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_request_compute(*, evaluation: Evaluation, actor=None) -> EvaluationRun:
    """Queue the computation (after commit), unless one is queued already; a published evaluation is never
    recomputed."""
    from evaluation.tasks import compute_evaluation

    _refuse_if_published(evaluation)
    pending = evaluation.runs.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
    if pending:
        return pending  # already queued: the job recomputes everything, once is enough
    run = EvaluationRun.objects.create(evaluation=evaluation, requested_by=actor)
    send_on_commit(compute_evaluation, run.pk, refused=lambda error: _not_sent(run, error))
    return run


def _not_sent(run: EvaluationRun, error) -> None:
    """A run whose task the broker could not take failed: else it would stay queued, and every later request
    would wait for it."""
    EvaluationRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=f"未能提交计算任务（消息队列不可用）：{error}")


@transaction.atomic
def scheme_request_compute(*, scheme: Scheme, actor=None) -> tuple[EvaluationRun, bool]:
    """"按当前数据计算": a new draft version of the scheme, computed after commit; unless a computation of the
    scheme is queued or running, which is returned instead (with False: nothing new was started)."""
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()  # two clicks at once: one waits, then sees
    busy = EvaluationRun.objects.filter(evaluation__scheme=scheme, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    if running := busy.select_related("evaluation").order_by("pk").first():
        return running, False
    return evaluation_request_compute(evaluation=evaluation_create(scheme=scheme), actor=actor), True


def scheme_tree(scheme: Scheme) -> dict:
    """The scheme's dimensions, indicators and weights as plain data, stored with each evaluation; each
    input named and defined for what it is at the scheme's quarter."""
    dimensions = scheme.dimensions.prefetch_related("indicators__indicator")
    return {"dimensions": [
        {"id": d.pk, "name": d.name, "weight": float(d.weight), "indicators": [
            {"id": i.pk, "indicator_id": i.indicator_id, "code": i.indicator.code, "name": input_name(i.indicator),
             "definition": input_definition(i.indicator, scheme.period), "unit_label": i.indicator.unit_label,
             "weight": float(i.weight), "reversed": i.indicator.direction == "down",
             "count": input_is_count(i.indicator)}
            for i in d.indicators.all()
        ]} for d in dimensions
    ]}


def tree_branches(tree: dict, *, moved: str | None = None, factor: float = 1.0) -> tuple[index.Branch, ...]:
    """The index tree from a stored snapshot; `moved` ("d<id>" or "i<id>") scales one weight by `factor`."""
    def weight(key, value):
        return value * factor if key == moved else value

    return tuple(
        index.Branch(d["id"], weight(f"d{d['id']}", d["weight"]), tuple(
            index.Leaf(i["id"], weight(f"i{i['id']}", i["weight"]), i["reversed"]) for i in d["indicators"]
        )) for d in tree["dimensions"]
    )


def _peer_group_of(unit, peer_groups) -> int | None:
    return next((group.pk for group, members in peer_groups if unit.group_id in members), None)


def _inputs(scheme: Scheme, tree: dict, unit_ids: list[int], run: EvaluationRun) -> dict:
    """{unit id: {scheme indicator id: value}}, one indicator at a time, reporting progress as it goes."""
    leaves = [leaf for dimension in tree["dimensions"] for leaf in dimension["indicators"]]
    indicators = Indicator.objects.in_bulk([leaf["indicator_id"] for leaf in leaves])
    raw = {unit_id: {} for unit_id in unit_ids}
    for done, leaf in enumerate(leaves, start=1):
        for unit_id, value in indicator_values(indicators[leaf["indicator_id"]], scheme.period, unit_ids).items():
            raw[unit_id][leaf["id"]] = value
        EvaluationRun.objects.filter(pk=run.pk).update(progress=int(80 * done / len(leaves)))
    return raw


def evaluation_compute(*, run: EvaluationRun) -> Evaluation:
    """Compute every unit's scores and ranks from the figures and store them with the inputs that drove them.

    Inputs are read outside the transaction so the run's progress is visible while it works; the
    results replace the old ones in one transaction, after checking the evaluation is still a draft.
    """
    evaluation = Evaluation.objects.select_related("scheme__period").get(pk=run.evaluation_id)
    _refuse_if_published(evaluation)
    scheme = evaluation.scheme
    tree, method = scheme_tree(scheme), scheme_method(scheme)
    units = list(scheme.compared_units().select_related("group"))
    raw = _inputs(scheme, tree, [u.pk for u in units], run)

    normalised, scores = index.compute(raw, tree_branches(tree), method=method["normalisation"],
                                       missing_rule=method["missing_rule"])
    ranks = index.rank({unit_id: score.overall for unit_id, score in scores.items()})
    peer_groups = [(group, set(group.descendant_ids())) for group in scheme.peer_groups.all()]
    peer_of = {u.pk: _peer_group_of(u, peer_groups) for u in units}
    group_ranks = {}
    for group, _members in peer_groups:
        group_ranks |= index.rank({u: s.overall for u, s in scores.items() if peer_of[u] == group.pk})
    before = dict(evaluation.previous.results.values_list("unit_id", "rank")) if evaluation.previous_id else {}
    results = {
        unit_id: UnitResult(
            evaluation=evaluation, unit_id=unit_id, peer_group_id=peer_of[unit_id], score=score.overall,
            rank=ranks[unit_id], group_rank=group_ranks.get(unit_id),
            rank_change=before[unit_id] - ranks[unit_id] if before.get(unit_id) and ranks[unit_id] else None,
            dimension_scores={str(k): v for k, v in score.dimensions.items()}, missing_count=len(score.missing),
        )
        for unit_id, score in scores.items()
    }
    recognise(results, raw=raw, tree=tree, count=method["recognition_count"])

    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        _refuse_if_published(evaluation)  # published meanwhile: leave its results as they were
        evaluation.results.all().delete()
        evaluation.inputs.all().delete()
        UnitResult.objects.bulk_create(results.values())
        InputValue.objects.bulk_create(
            InputValue(evaluation=evaluation, unit_id=unit_id, scheme_indicator_id=leaf_id, value=value,
                       score=normalised[unit_id][leaf_id])
            for unit_id, inputs in raw.items() for leaf_id, value in inputs.items()
        )
        evaluation.tree, evaluation.method = tree, method
        evaluation.computed_at = timezone.now()
        evaluation.save(update_fields=["tree", "method", "computed_at"])
    return evaluation


def evaluation_run(*, run_id: int) -> None:
    """Run one queued computation, recording its status, progress and error on the run row."""
    run = EvaluationRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("evaluation run %s no longer exists", run_id)
        return
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    try:
        evaluation_compute(run=run)
    except Exception as exc:  # recorded on the run for staff to read; the job itself is not retried
        logger.exception("evaluation run %s failed", run_id)
        EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(),
                                                       error=str(exc)[:2000])
        return
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, progress=100,
                                                   finished_at=timezone.now())


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, actor) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    _refuse_if_published(evaluation)
    if evaluation.computed_at is None:
        raise ValidationError(_("该评价尚未计算完成，不能发布。"), code="not_computed")
    evaluation.state = EvaluationState.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.published_by = actor
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def evaluation_new_version(*, evaluation: Evaluation, actor) -> Evaluation:
    """An explicit new version of a scheme's evaluation from today's figures; earlier versions stay as they were."""
    fresh = evaluation_create(scheme=evaluation.scheme, previous=evaluation.previous)
    evaluation_request_compute(evaluation=fresh, actor=actor)
    return fresh
