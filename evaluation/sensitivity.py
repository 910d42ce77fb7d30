"""How the ranking moves if one weight moves ±10%, from the stored normalised inputs (no new job).

The moved weight is scaled by 1.1 or 0.9 and its level is renormalised to 1, so the others give or
take the difference in proportion. A weight alone on its level (an indicator alone in its dimension,
or a scheme of one dimension) renormalises back to 1 whatever it is moved to, so it is not offered:
the indicator is offered through its dimension's weight, and the page says why.
"""
from evaluation import index
from evaluation.method import Method
from evaluation.models import Evaluation
from evaluation.services import tree_branches

STEP = 0.10


def weight_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    """("d<id>" or "i<id>", label) for every weight whose move can change a score."""
    dimensions = evaluation.tree.get("dimensions", [])
    choices = []
    for dimension in dimensions:
        leaves = dimension["indicators"]
        if len(dimensions) > 1:
            alone = f"：{leaves[0]['name']}" if len(leaves) == 1 else ""
            choices.append((f"d{dimension['id']}", f"{dimension['name']}（{dimension['weight']:g}）{alone}"))
        if len(leaves) > 1:
            choices += [(f"i{leaf['id']}", f"　{dimension['name']} · {leaf['name']}（{leaf['weight']:g}）")
                        for leaf in leaves]
    return choices


def fixed_weights(evaluation: Evaluation) -> list[str]:
    """The weights not offered, each with where its moves can be made instead."""
    dimensions = evaluation.tree.get("dimensions", [])
    fixed = [f"{d['name']} · {d['indicators'][0]['name']}" for d in dimensions if len(d["indicators"]) == 1]
    if len(dimensions) == 1:
        fixed.append(dimensions[0]["name"])
    return fixed


def stored_scores(evaluation: Evaluation) -> dict[int, dict[int, float | None]]:
    scores: dict[int, dict[int, float | None]] = {}
    for unit_id, leaf_id, score in evaluation.inputs.values_list("unit_id", "scheme_indicator_id", "score"):
        scores.setdefault(unit_id, {})[leaf_id] = score
    return scores


def sensitivity(evaluation: Evaluation, moved: str) -> list[dict]:
    """Per unit, in the published order: its rank, and its rank with the weight up and down by 10%."""
    scores = stored_scores(evaluation)
    rule = Method.of(evaluation).missing_rule
    ranks = {}
    for label, factor in (("up", 1 + STEP), ("down", 1 - STEP)):
        results = index.aggregate(scores, tree_branches(evaluation.tree, moved=moved, factor=factor),
                                  missing_rule=rule)
        ranks[label] = index.rank({unit: score.overall for unit, score in results.items()})
    rows = []
    for result in evaluation.results.select_related("unit").order_by("rank", "unit__order"):
        up, down = ranks["up"].get(result.unit_id), ranks["down"].get(result.unit_id)
        shifts = [abs(r - result.rank) for r in (up, down) if r and result.rank]
        rows.append({"unit": result.unit, "rank": result.rank, "up": up, "down": down,
                     "shift": max(shifts, default=0)})
    return rows
