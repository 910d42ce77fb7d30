"""The composite index on a hand-worked case: units A–D, dimension X (x1 up, x2 down) and Y (y1).

X weighs 0.6 (x1 0.75, x2 0.25), Y weighs 0.4 (y1 alone). The expected numbers are worked by hand
in the comments beside them.
"""
import pytest

from evaluation import index

A, B, C, D = 1, 2, 3, 4
X, Y = 10, 20
X1, X2, Y1 = 101, 102, 201
TREE = (
    index.Branch(X, 0.6, (index.Leaf(X1, 0.75), index.Leaf(X2, 0.25, reversed=True))),
    index.Branch(Y, 0.4, (index.Leaf(Y1, 1.0),)),
)
# min-max: x1 10..50 (A 0, B 50, C 25, D 100); x2 1..9, lower better (A 100, B 50, C 25, D 0);
# y1 0..4 over the units that have it (A 100, C 50, D 0), B has no y1.
MINMAX_RAW = {
    A: {X1: 10, X2: 1, Y1: 4},
    B: {X1: 30, X2: 5, Y1: None},
    C: {X1: 20, X2: 7, Y1: 2},
    D: {X1: 50, X2: 9, Y1: 0},
}


def scores_of(results):
    return {unit: pytest.approx(score.overall) for unit, score in results.items()}


def test_min_max_normalisation_reverses_a_lower_is_better_indicator():
    normalised, _ = index.compute(MINMAX_RAW, TREE, method=index.MINMAX, missing_rule=index.REWEIGHT)
    assert [normalised[u][X1] for u in (A, B, C, D)] == [0, 50, 25, 100]
    assert [normalised[u][X2] for u in (A, B, C, D)] == [100, 50, 25, 0]
    assert normalised[B][Y1] is None


def test_a_missing_input_is_left_out_and_the_other_weights_fill_its_share():
    _, results = index.compute(MINMAX_RAW, TREE, method=index.MINMAX, missing_rule=index.REWEIGHT)
    # X: A .75*0+.25*100 = 25, B 50, C 25, D 75; Y: A 100, B -, C 50, D 0
    assert results[B].dimensions == {X: pytest.approx(50), Y: None}
    assert results[B].missing == [Y1]
    # overall .6X+.4Y: A 15+40 = 55, B only X so 50, C 15+20 = 35, D 45+0 = 45
    assert scores_of(results) == {A: 55, B: 50, C: 35, D: 45}
    assert index.rank({u: s.overall for u, s in results.items()}) == {A: 1, B: 2, C: 4, D: 3}


def test_a_missing_input_scored_zero_pulls_the_unit_down():
    _, results = index.compute(MINMAX_RAW, TREE, method=index.MINMAX, missing_rule=index.ZERO)
    # B's Y becomes 0: .6*50 + .4*0 = 30; the others are as under the reweighting rule
    assert scores_of(results) == {A: 55, B: 30, C: 35, D: 45}
    assert results[B].missing == [Y1]
    assert index.rank({u: s.overall for u, s in results.items()}) == {A: 1, B: 4, C: 3, D: 2}


def test_z_scores_use_the_mean_and_population_deviation_and_reverse_direction():
    # 3, 9, 11, 17: mean 10, deviations -7 -1 1 7, variance (49+1+1+49)/4 = 25, deviation 5
    raw = {
        A: {X1: 3, X2: 3, Y1: 17},
        B: {X1: 9, X2: 9, Y1: 11},
        C: {X1: 11, X2: 11, Y1: 9},
        D: {X1: 17, X2: 17, Y1: 3},
    }
    normalised, results = index.compute(raw, TREE, method=index.ZSCORE, missing_rule=index.REWEIGHT)
    assert [normalised[u][X1] for u in (A, B, C, D)] == pytest.approx([-1.4, -0.2, 0.2, 1.4])
    assert [normalised[u][X2] for u in (A, B, C, D)] == pytest.approx([1.4, 0.2, -0.2, -1.4])
    # X: A .75*-1.4 + .25*1.4 = -0.7, B -0.1, C 0.1, D 0.7; Y: 1.4, 0.2, -0.2, -1.4
    assert results[A].dimensions[X] == pytest.approx(-0.7)
    # overall .6X + .4Y: A -0.42+0.56 = 0.14, B 0.02, C -0.02, D -0.14
    assert scores_of(results) == {A: 0.14, B: 0.02, C: -0.02, D: -0.14}


def test_z_scores_leave_out_a_missing_input_from_the_mean():
    raw = {A: {X1: 3}, B: {X1: 9}, C: {X1: 11}, D: {X1: 17}, 5: {X1: None}}
    normalised = index.normalise({u: v[X1] for u, v in raw.items()}, method=index.ZSCORE, reversed=False)
    assert normalised == {A: pytest.approx(-1.4), B: pytest.approx(-0.2), C: pytest.approx(0.2),
                          D: pytest.approx(1.4), 5: None}


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    assert index.rank({A: 80, B: 90, C: 80, D: None}) == {A: 2, B: 1, C: 2, D: None}
