"""How the ranking moves if one weight moves ±10%, from the stored normalised inputs (no new job).

The moved weight is scaled by 1.1 or 0.9 and its level is renormalised to 1, so the others give or
take the difference in proportion.
"""
from evaluation import index
from evaluation.models import Evaluation
from evaluation.services import tree_branches

STEP = 0.10


def weight_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    choices = []
    for dimension in evaluation.tree.get("dimensions", []):
        choices.append((f"d{dimension['id']}", f"{dimension['name']}（{dimension['weight']:g}）"))
        choices += [(f"i{leaf['id']}", f"　{dimension['name']} · {leaf['name']}（{leaf['weight']:g}）")
                    for leaf in dimension["indicators"]]
    return choices


def sensitivity(evaluation: Evaluation, moved: str) -> list[dict]:
    """Per unit, in the published order: its rank, and its rank with the weight up and down by 10%."""
    scores: dict[int, dict[int, float | None]] = {}
    for unit_id, leaf_id, score in evaluation.inputs.values_list("unit_id", "scheme_indicator_id", "score"):
        scores.setdefault(unit_id, {})[leaf_id] = score
    rule = evaluation.scheme.missing_rule
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
