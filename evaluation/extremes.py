"""How far the best and the worst unit of each input would have to move before the recommendations change.

Min–max scores every unit against the best and the worst value of each input, so those two units set
everyone's scores. Each of them in turn has its value moved up and down, by steps up to one full range
of the input (never below zero for an input that has no negative value), and the whole index is
recomputed from the stored raw inputs with the frozen method; the smallest move that changes who is
recommended is found by bisection between the last step that changed nothing and the first that did,
and for a count (enterprises, platforms) rounded to the whole number beyond it.
"""
import math
from collections import namedtuple
from dataclasses import dataclass

from django.core.cache import cache

from evaluation import index
from evaluation.method import Method
from evaluation.recognition import choose
from evaluation.report import input_values
from evaluation.services import tree_branches

STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)  # fractions of the input's range
BISECTIONS = 10
CACHED_FOR = 24 * 3600
WHOLE_TRIES = 5  # a count's threshold rounded away from its value, then a few whole steps further at most

Standing = namedtuple("Standing", "unit rank rank_change")


@dataclass
class Move:
    leaf: dict
    best: bool  # the best unit of the input, or the worst
    unit: object
    value: float
    moved_to: float | None = None  # the nearest value that changes the recommendations, if any within reach
    range_share: float | None = None  # |moved_to − value| as a share of the input's range
    entering: list | None = None
    leaving: list | None = None

    @property
    def relative(self) -> float | None:
        """The move as a percentage of the unit's own value."""
        if self.moved_to is None or self.value == 0:
            return None
        return (self.moved_to - self.value) * 100 / abs(self.value)


class Recommender:
    """The recommended units for a set of raw inputs, computed as the evaluation's job computed them."""

    def __init__(self, evaluation):
        method = Method.of(evaluation)
        self.method = method
        self.branches = tree_branches(evaluation.tree)
        results = list(evaluation.results.select_related("unit").order_by("unit__order", "unit__code"))
        self.units = {r.unit_id: r.unit for r in results}
        self.before = {r.unit_id: r.rank + r.rank_change for r in results if r.rank and r.rank_change is not None}
        stored = input_values(evaluation)
        self.raw = {unit_id: stored.get(unit_id, {}) for unit_id in self.units}

    def recommended(self, raw) -> frozenset:
        _normalised, scores = index.compute(raw, self.branches, method=self.method.normalisation,
                                            missing_rule=self.method.missing_rule)
        ranks = index.rank({unit: score.overall for unit, score in scores.items()})
        ranked = sorted((Standing(u, ranks[u], self.before[u] - ranks[u] if u in self.before else None)
                         for u in raw if ranks[u]), key=lambda s: s.rank)
        return frozenset(s.unit for s in choose(ranked, self.method.recognition_count))

    def with_value(self, unit_id, leaf_id, value) -> frozenset:
        raw = dict(self.raw)
        raw[unit_id] = {**raw[unit_id], leaf_id: value}
        return self.recommended(raw)


def _nearest_change(recommender, baseline, unit_id, leaf_id, value, span, floor):
    """(moved value, recommended set) of the smallest move of `value` that changes the recommendations."""
    found = None
    for sign in (1, -1):
        previous = 0.0
        for step in STEPS:
            if found and step >= found[0]:
                break
            if floor is not None and value + sign * step * span < floor:
                break
            if recommender.with_value(unit_id, leaf_id, value + sign * step * span) != baseline:
                low, high = previous, step
                for _ in range(BISECTIONS):
                    middle = (low + high) / 2
                    changed = recommender.with_value(unit_id, leaf_id, value + sign * middle * span) != baseline
                    low, high = (low, middle) if changed else (middle, high)
                found = (high, value + sign * high * span)
                break
            previous = step
    if found is None:
        return None, None
    return found[1], recommender.with_value(unit_id, leaf_id, found[1])


def _whole_change(recommender, baseline, unit_id, leaf_id, value, moved):
    """For a count: the nearest whole number at or beyond `moved` that still changes the recommendations."""
    sign = 1 if moved > value else -1
    for distance in range(math.ceil(abs(moved - value)), math.ceil(abs(moved - value)) + WHOLE_TRIES):
        after = recommender.with_value(unit_id, leaf_id, value + sign * distance)
        if after != baseline:
            return value + sign * distance, after
    return None, None


def extreme_moves(evaluation) -> list[Move]:
    """For each input, its best and worst unit and the smallest move of their value that changes the list.

    A published evaluation never changes, so its answer (a few hundred recomputations) is cached, keyed by
    its publication time as well, in case a deleted evaluation's id is handed out again."""
    if evaluation.is_published:
        key = f"evaluation:{evaluation.pk}:{evaluation.published_at.timestamp()}:extremes"
        return cache.get_or_set(key, lambda: _extreme_moves(evaluation), CACHED_FOR)
    return _extreme_moves(evaluation)


def _extreme_moves(evaluation) -> list[Move]:
    recommender = Recommender(evaluation)
    baseline = recommender.recommended(recommender.raw)
    moves = []
    for dimension in recommender.method.dimensions:
        for leaf in dimension["indicators"]:
            values = {u: inputs.get(leaf["id"]) for u, inputs in recommender.raw.items()}
            present = {u: v for u, v in values.items() if v is not None}
            if not present or max(present.values()) == min(present.values()):
                continue
            low, high = min(present.values()), max(present.values())
            floor = 0.0 if low >= 0 else None
            ends = ((True, high), (False, low)) if not leaf["reversed"] else ((True, low), (False, high))
            for best, end in ends:
                unit_id = next(u for u, v in present.items() if v == end)
                move = Move(leaf=leaf, best=best, unit=recommender.units[unit_id], value=end)
                moved_to, after = _nearest_change(recommender, baseline, unit_id, leaf["id"], end, high - low, floor)
                if moved_to is not None and leaf.get("count"):
                    moved_to, after = _whole_change(recommender, baseline, unit_id, leaf["id"], end, moved_to)
                if moved_to is not None:
                    move.moved_to, move.range_share = moved_to, abs(moved_to - end) / (high - low)
                    move.entering = [recommender.units[u].name for u in after - baseline]
                    move.leaving = [recommender.units[u].name for u in baseline - after]
                moves.append(move)
    return moves
