"""What a report shows, read from an evaluation's stored results (so a published one never moves)."""
from dataclasses import dataclass, field

from evaluation.choices import EvaluationState
from evaluation.method import Method
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
    inputs: list = field(default_factory=list)  # raw input values in the order of the tree's indicators


@dataclass
class Report:
    evaluation: Evaluation
    method: Method
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

    @property
    def leaves(self) -> list:
        """Every indicator of the tree with its dimension, in the order of the appendix columns."""
        return [dict(leaf, dimension=d["name"], dimension_weight=d["weight"])
                for d in self.dimensions for leaf in d["indicators"]]

    @property
    def appendix(self) -> list:
        """(unit name, its inputs as printed) for every unit, in ranking order."""
        return [(row.unit.name, [input_text(v) for v in row.inputs]) for row in self.rows]

    @property
    def touched(self) -> list:
        """The rows of units with a missing input, which the missing-input rule applied to."""
        return [row for row in self.rows if row.missing]


def input_values(evaluation: Evaluation) -> dict[int, dict[int, float | None]]:
    """{unit id: {scheme indicator id: raw value}} as stored with the evaluation."""
    values: dict[int, dict] = {}
    for unit_id, leaf_id, value in evaluation.inputs.values_list("unit_id", "scheme_indicator_id", "value"):
        values.setdefault(unit_id, {})[leaf_id] = value
    return values


def build_report(evaluation: Evaluation) -> Report:
    method = Method.of(evaluation)
    dimensions = method.dimensions
    leaves = [leaf for d in dimensions for leaf in d["indicators"]]
    values = input_values(evaluation)
    results = evaluation.results.select_related("unit", "unit__group", "peer_group").order_by("rank", "unit__order")
    rows = []
    for r in results:
        mine = values.get(r.unit_id, {})
        rows.append(Row(
            result=r, unit=r.unit, dimensions=[r.dimension_scores.get(str(d["id"])) for d in dimensions],
            missing=[leaf["name"] for leaf in leaves if leaf["id"] in mine and mine[leaf["id"]] is None],
            inputs=[mine.get(leaf["id"]) for leaf in leaves],
        ))
    groups: dict = {}
    for row in rows:
        if row.result.peer_group:
            groups.setdefault(row.result.peer_group, []).append(row)
    for members in groups.values():
        members.sort(key=lambda row: (row.result.group_rank or 999, row.unit.order))
    moved = [row for row in rows if row.result.rank_change]
    return Report(
        evaluation=evaluation, method=method, dimensions=dimensions, rows=rows,
        groups=sorted(groups.items(), key=lambda item: item[0].order),
        risers=sorted((r for r in moved if r.result.rank_change > 0), key=lambda r: -r.result.rank_change)[:MOVERS],
        fallers=sorted((r for r in moved if r.result.rank_change < 0), key=lambda r: r.result.rank_change)[:MOVERS],
        recommended=[row for row in rows if row.result.recommended],
    )


def input_text(value: float | None) -> str:
    """An input as the appendix prints it: up to four decimals, "缺失" where the unit has none."""
    if value is None:
        return "缺失"
    return f"{value:,.4f}".rstrip("0").rstrip(".")
