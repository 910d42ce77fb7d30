"""Who the report recommends for the "真抓实干" incentive, and why, in figures.

The leaders at the top of the ranking, and the unit that climbed furthest if it climbed at least
RISE places: recognition rewards progress as well as size.
"""
RISE = 3


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _strengths(result, raw_inputs: dict, tree: dict, rank_of_input) -> list[str]:
    """The unit's two best dimensions and the input in each where it ranks highest among the units."""
    dimensions = sorted(tree["dimensions"], key=lambda d: -(result.dimension_scores.get(str(d["id"])) or -1e9))
    reasons = []
    for dimension in dimensions[:2]:
        score = result.dimension_scores.get(str(dimension["id"]))
        if score is None:
            continue
        leaves = [leaf for leaf in dimension["indicators"] if raw_inputs.get(leaf["id"]) is not None]
        text = f"{dimension['name']}得分 {_fmt(score)}"
        if leaves:
            best = min(leaves, key=lambda leaf: rank_of_input(leaf, result.unit_id))
            text += (f"，其中{best['name']} {_fmt(raw_inputs[best['id']])}{best['unit_label']}"
                     f"（第{rank_of_input(best, result.unit_id)}位）")
        reasons.append(text)
    return reasons


def recognise(results: dict, *, raw: dict, tree: dict, count: int) -> None:
    """Mark up to `count` results as recommended and give each its reasons (mutates `results`)."""
    if count == 0:
        return

    def rank_of_input(leaf, unit_id):
        value = raw[unit_id][leaf["id"]]
        others = [inputs[leaf["id"]] for inputs in raw.values() if inputs.get(leaf["id"]) is not None]
        better = sum(1 for v in others if (v < value if leaf["reversed"] else v > value))
        return better + 1

    ranked = sorted((r for r in results.values() if r.rank), key=lambda r: r.rank)
    chosen = ranked[: count - 1] if count > 1 else []
    risers = sorted((r for r in ranked if (r.rank_change or 0) >= RISE and r not in chosen),
                    key=lambda r: -r.rank_change)
    chosen += risers[:1] or ranked[len(chosen): len(chosen) + 1]
    for result in chosen:
        result.recommended = True
        result.reasons = [f"综合得分 {_fmt(result.score)}，全市第{result.rank}位"]
        if result.rank_change:
            verb = "上升" if result.rank_change > 0 else "下降"
            result.reasons.append(f"较上期{verb}{abs(result.rank_change)}位")
        result.reasons += _strengths(result, raw[result.unit_id], tree, rank_of_input)
