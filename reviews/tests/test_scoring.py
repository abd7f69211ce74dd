"""The aggregation maths, with exact Decimal results."""

from decimal import Decimal as D

from reviews.scoring import (
    CriterionScore,
    aggregate,
    quorum_needed,
    rank,
    weighted_total,
)


def test_weighted_total_is_weighted_mean_on_0_to_100():
    # given two criteria, weights 3 and 1, on 0–10
    scores = [CriterionScore(D(3), 10, D(8)), CriterionScore(D(1), 10, D(4))]
    # then (3×0.8 + 1×0.4) / 4 × 100 = 70
    assert weighted_total(scores) == D("70.00")


def test_not_applicable_is_left_out_and_weights_renormalised_never_zero():
    # given the weight-1 criterion marked not applicable
    scores = [
        CriterionScore(D(3), 10, D(8)),
        CriterionScore(D(1), 10, None, not_applicable=True),
    ]
    # then only the applicable one counts: 80, not (3×0.8)/4 = 60
    assert weighted_total(scores) == D("80.00")


def test_mixed_scales_and_rounding_half_up():
    # given scales 10 and 5, weights 2 and 1
    scores = [CriterionScore(D(2), 10, D(7)), CriterionScore(D(1), 5, D(2))]
    # then (2×0.7 + 1×0.4) / 3 × 100 = 60.0
    assert weighted_total(scores) == D("60.00")
    # and a repeating decimal rounds half up to cents: (1×1/3)/1 ×100
    assert weighted_total([CriterionScore(D(1), 3, D(1))]) == D("33.33")
    assert weighted_total([CriterionScore(D(1), 3, D(2))]) == D("66.67")


def test_all_not_applicable_gives_no_total():
    assert weighted_total([CriterionScore(D(1), 10, None, True)]) is None


def test_aggregate_mean_spread_and_disagreement_flag():
    # given three totals with a spread of 30 against a margin of 20
    agg = aggregate([D("80.00"), D("50.00"), D("65.00")], margin=D(20), required=3)
    # then
    assert agg.mean == D("65.00")
    assert agg.spread == D("30.00")
    assert agg.disagreement is True
    assert agg.count == 3
    assert agg.complete is True


def test_spread_equal_to_margin_is_not_disagreement_and_count_short():
    agg = aggregate([D("70.00"), D("50.00")], margin=D(20), required=3)
    assert agg.disagreement is False
    assert agg.complete is False
    assert agg.mean == D("60.00")


def test_aggregate_of_nothing():
    agg = aggregate([], margin=D(20), required=3)
    assert agg.mean is None
    assert agg.count == 0


def test_rank_orders_by_mean_and_marks_where_money_runs_out():
    # given an envelope of 3 000 000 and three applications of 1 500 000
    rows = rank(
        [
            ("a", D("60"), D("1500000")),
            ("b", D("90"), D("1500000")),
            ("c", None, D("1500000")),
            ("d", D("75"), D("1500000")),
        ],
        envelope=D("3000000"),
    )
    # then best first, unscored last, running totals against the envelope
    assert [r.key for r in rows] == ["b", "d", "a", "c"]
    assert [r.running_total for r in rows] == [
        D("1500000"),
        D("3000000"),
        D("4500000"),
        D("6000000"),
    ]
    assert [r.within_envelope for r in rows] == [True, True, False, False]


def test_quorum_is_two_thirds_rounded_up():
    assert quorum_needed(4) == 3
    assert quorum_needed(6) == 4
    assert quorum_needed(7) == 5
    assert quorum_needed(5, 1, 2) == 3
