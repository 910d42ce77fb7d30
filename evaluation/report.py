"""What a report shows, read from an evaluation's stored results (so a published one never moves)."""
from dataclasses import dataclass, field

from django.db.models import Q

from evaluation.choices import EvaluationState
from evaluation.models import Evaluation
from portal import roles

MOVERS = 5


def visible_evaluations(user):
    """Published evaluations for every logged-in user; drafts too for municipal users."""
    evaluations = Evaluation.objects.select_related("scheme__period")
    if roles.is_municipal(user) and user.has_perm("evaluation.view_evaluation"):
        return evaluations
    return evaluations.filter(state=EvaluationState.PUBLISHED) if user.is_authenticated else evaluations.none()


@dataclass
class Row:
    result: object
    unit: object
    dimensions: list  # scores in the order of the tree's dimensions
    missing: list = field(default_factory=list)  # names of the unit's missing inputs


@dataclass
class Report:
    evaluation: Evaluation
    dimensions: list
    rows: list
    groups: list  # [(group, rows in group order)]
    risers: list
    fallers: list
    recommended: list

    def chart_data(self) -> dict:
        """For ECharts through json_script: one series per dimension, one radar entry per unit."""
        return {
            "dimensions": [d["name"] for d in self.dimensions],
            "units": [row.unit.name for row in self.rows],
            "scores": [row.dimensions for row in self.rows],
            "overall": [row.result.score for row in self.rows],
        }


def build_report(evaluation: Evaluation) -> Report:
    dimensions = evaluation.tree.get("dimensions", [])
    names = {leaf["id"]: leaf["name"] for d in dimensions for leaf in d["indicators"]}
    missing: dict[int, list] = {}
    for unit_id, leaf_id in evaluation.inputs.filter(Q(value__isnull=True)).values_list("unit_id", "scheme_indicator"):
        missing.setdefault(unit_id, []).append(names.get(leaf_id, ""))
    results = evaluation.results.select_related("unit", "unit__group", "peer_group").order_by("rank", "unit__order")
    rows = [
        Row(result=r, unit=r.unit, dimensions=[r.dimension_scores.get(str(d["id"])) for d in dimensions],
            missing=missing.get(r.unit_id, []))
        for r in results
    ]
    groups: dict = {}
    for row in rows:
        if row.result.peer_group:
            groups.setdefault(row.result.peer_group, []).append(row)
    for members in groups.values():
        members.sort(key=lambda row: (row.result.group_rank or 999, row.unit.order))
    moved = [row for row in rows if row.result.rank_change]
    return Report(
        evaluation=evaluation, dimensions=dimensions, rows=rows,
        groups=sorted(groups.items(), key=lambda item: item[0].order),
        risers=sorted((r for r in moved if r.result.rank_change > 0), key=lambda r: -r.result.rank_change)[:MOVERS],
        fallers=sorted((r for r in moved if r.result.rank_change < 0), key=lambda r: r.result.rank_change)[:MOVERS],
        recommended=[row for row in rows if row.result.recommended],
    )
