"""Who the report recommends for the "真抓实干" incentive, and why, in figures.

The leaders at the top of the ranking, and the unit that climbed furthest if it climbed at least
RISE places: recognition rewards progress as well as size. A reason names where the unit stands and
with how many others it shares that place, and prefers what sets the unit apart: among its dimensions
and inputs, those with the fewest units doing at least as well (its place plus those tied with it).
"""
RISE = 3


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def standing(values: dict, unit, *, reversed: bool = False) -> tuple[int, int]:
    """(place, tied) of `unit` among the units with a value: 1 + how many do better, and how many others
    have the same value."""
    mine = round(values[unit], 9)
    others = [round(v, 9) for u, v in values.items() if u != unit and v is not None]
    better = sum(1 for v in others if (v < mine if reversed else v > mine))
    return better + 1, sum(1 for v in others if v == mine)


def placed(place: int, tied: int) -> str:
    return f"第{place}位，与另{tied}个单位并列" if tied else f"第{place}位"


def _at_least_as_good(place_tied: tuple[int, int]) -> int:
    place, tied = place_tied
    return place + tied


def choose(ranked: list, count: int) -> list:
    """The recommended among `ranked` (results with a rank, in ranking order): the top count − 1 and the
    biggest riser by at least RISE places, or else the next in the ranking."""
    if count == 0:
        return []
    chosen = ranked[: count - 1]
    risers = sorted((r for r in ranked if (r.rank_change or 0) >= RISE and r not in chosen),
                    key=lambda r: -r.rank_change)
    return chosen + (risers[:1] or ranked[len(chosen): len(chosen) + 1])


def _strengths(result, results: dict, raw: dict, tree: dict) -> list[str]:
    """The unit's two most distinguishing dimensions, each with its most distinguishing input."""
    unit = result.unit_id
    dimensions = []
    for dimension in tree["dimensions"]:
        key = str(dimension["id"])
        scores = {u: r.dimension_scores.get(key) for u, r in results.items()}
        if scores[unit] is not None:
            dimensions.append((standing(scores, unit), -scores[unit], dimension))
    dimensions.sort(key=lambda item: (_at_least_as_good(item[0]), item[1]))
    reasons = []
    for dimension_standing, negative_score, dimension in dimensions[:2]:
        text = f"{dimension['name']}得分 {_fmt(-negative_score)}（{placed(*dimension_standing)}）"
        inputs = []
        for leaf in dimension["indicators"]:
            values = {u: row.get(leaf["id"]) for u, row in raw.items()}
            if values[unit] is not None:
                inputs.append((standing(values, unit, reversed=leaf["reversed"]), leaf))
        if inputs:
            leaf_standing, best = min(inputs, key=lambda item: _at_least_as_good(item[0]))
            value = f"{_fmt(raw[unit][best['id']])}{best['unit_label']}"
            text += f"，其中{best['name']} {value}（{placed(*leaf_standing)}）"
        reasons.append(text)
    return reasons


def recognise(results: dict, *, raw: dict, tree: dict, count: int) -> None:
    """Mark up to `count` results as recommended and give each its reasons (mutates `results`)."""
    ranked = sorted((r for r in results.values() if r.rank), key=lambda r: r.rank)
    overall = {u: r.score for u, r in results.items()}
    for result in choose(ranked, count):
        result.recommended = True
        _place, tied = standing(overall, result.unit_id)
        result.reasons = [f"综合得分 {_fmt(result.score)}，全市{placed(result.rank, tied)}"]
        if result.rank_change:
            verb = "上升" if result.rank_change > 0 else "下降"
            result.reasons.append(f"较上期{verb}{abs(result.rank_change)}位")
        result.reasons += _strengths(result, results, raw, tree)
