"""The composite index itself, free of the database: normalise inputs, weight them up, rank.

The job (evaluation/services.py) feeds it the raw inputs; the sensitivity view feeds `aggregate`
the stored normalised inputs with one weight moved. Scores are 0–100 under min–max and standard
scores (mean 0, standard deviation 1) under z-score.
"""
import math
from dataclasses import dataclass, field

MINMAX = "minmax"
ZSCORE = "zscore"
REWEIGHT = "reweight"
ZERO = "zero"


@dataclass(frozen=True)
class Leaf:
    key: int  # the scheme indicator's id
    weight: float
    reversed: bool = False  # lower is better


@dataclass(frozen=True)
class Branch:
    key: int  # the dimension's id
    weight: float
    leaves: tuple[Leaf, ...]


@dataclass
class Score:
    overall: float | None
    dimensions: dict[int, float | None] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)  # leaf keys with no input


def normalise(values: dict[int, float | None], *, method: str, reversed: bool) -> dict[int, float | None]:
    """One indicator's values per unit, normalised across the units that have a value."""
    present = [v for v in values.values() if v is not None]
    if not present:
        return dict.fromkeys(values)
    if method == MINMAX:
        low, high = min(present), max(present)
        if high == low:
            return {unit: None if v is None else 100.0 for unit, v in values.items()}
        scaled = {unit: None if v is None else (v - low) * 100.0 / (high - low) for unit, v in values.items()}
        return {unit: None if v is None else (100.0 - v if reversed else v) for unit, v in scaled.items()}
    mean = sum(present) / len(present)
    deviation = math.sqrt(sum((v - mean) ** 2 for v in present) / len(present))
    if deviation == 0:
        return {unit: None if v is None else 0.0 for unit, v in values.items()}
    sign = -1 if reversed else 1
    return {unit: None if v is None else sign * (v - mean) / deviation for unit, v in values.items()}


def _weighted(parts: list[tuple[float, float | None]], missing_rule: str) -> float | None:
    if missing_rule == ZERO:
        parts = [(w, 0.0 if s is None else s) for w, s in parts]
    present = [(w, s) for w, s in parts if s is not None]
    total = sum(w for w, _ in present)
    if not present or total == 0:
        return None
    return sum(w * s for w, s in present) / total


def aggregate(scores: dict[int, dict[int, float | None]], tree: tuple[Branch, ...], *, missing_rule: str) -> dict:
    """Each unit's dimension and overall scores from its normalised inputs ({unit: {leaf: score}}).

    Missing inputs are scored zero, or left out with the other weights scaled up to fill their share.
    """
    results = {}
    for unit, inputs in scores.items():
        dimensions = {
            branch.key: _weighted([(leaf.weight, inputs.get(leaf.key)) for leaf in branch.leaves], missing_rule)
            for branch in tree
        }
        overall = _weighted([(branch.weight, dimensions[branch.key]) for branch in tree], missing_rule)
        missing = [leaf.key for branch in tree for leaf in branch.leaves if inputs.get(leaf.key) is None]
        results[unit] = Score(overall=overall, dimensions=dimensions, missing=missing)
    return results


def compute(raw: dict[int, dict[int, float | None]], tree: tuple[Branch, ...], *, method: str, missing_rule: str):
    """Normalised inputs ({unit: {leaf: score}}) and scores from raw inputs ({unit: {leaf: value}})."""
    normalised: dict[int, dict[int, float | None]] = {unit: {} for unit in raw}
    for branch in tree:
        for leaf in branch.leaves:
            column = normalise({unit: inputs.get(leaf.key) for unit, inputs in raw.items()},
                               method=method, reversed=leaf.reversed)
            for unit, value in column.items():
                normalised[unit][leaf.key] = value
    return normalised, aggregate(normalised, tree, missing_rule=missing_rule)


def rank(scores: dict[int, float | None]) -> dict[int, int | None]:
    """Competition ranking (1, 2, 2, 4) by score, highest first; a unit without a score has no rank."""
    ordered = sorted((s for s in scores.values() if s is not None), reverse=True)
    first = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(round(score, 9), position)
    return {unit: None if s is None else first[round(s, 9)] for unit, s in scores.items()}
