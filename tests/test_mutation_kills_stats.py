"""Class statistics at their edges: each test kills mutants that `make mutation` left alive.

The figures are those of the instructor's analysis report (report.html, item_analysis.csv).
"""

from __future__ import annotations

import math

import pytest

from comprende.stats import StatsAccumulator


def stats(rows: list[list[int]], points: list[float] | None = None):
    """Statistics of a class: one row of scores (hundredths of a point) per student."""
    points = points or [1.0] * len(rows[0])
    accumulator = StatsAccumulator([(f"i{n}", p) for n, p in enumerate(points)])
    for row in rows:
        accumulator.add(row, ["x"] * len(row))
    return accumulator.result()


def test_students_with_the_same_total_all_count() -> None:
    result = stats([[100, 100], [100, 100], [0, 0]])  # totals 2, 2, 0
    assert result.mean == pytest.approx(4 / 3)
    assert result.median == 2
    assert result.sd == pytest.approx(math.sqrt(((2 / 3) ** 2 * 2 + (4 / 3) ** 2) / 2))
    assert result.histogram[9] == 2 and result.histogram[0] == 1
    assert sum(result.histogram) == result.n == 3


def test_two_totals_in_the_same_bin_are_two_students() -> None:
    result = stats([[10, 0, 0, 0], [20, 0, 0, 0]])  # 2.5 % and 5 %: both in 0–10 %
    assert result.histogram == (2, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def test_a_class_whose_lowest_total_is_not_zero() -> None:
    result = stats([[100, 100], [100, 0]])
    assert (result.minimum, result.maximum) == (1.0, 2.0)


def test_two_students_have_a_spread_and_a_reliability() -> None:
    result = stats([[100, 100], [0, 0]])  # totals 2 and 0: sample sd √2
    assert result.sd == pytest.approx(math.sqrt(2))
    assert result.items[0].sd == pytest.approx(math.sqrt(0.5))
    # var(x) = .25 each, var(T) = 1: α = 2 (1 − .5 / 1) = 1
    assert result.reliability == pytest.approx(1.0)


def test_the_smallest_spread_still_counts() -> None:
    """One hundredth of a point between two students is a spread, not none."""
    result = stats([[1, 0], [0, 1]], [1.0, 1.0])  # totals equal: no variance of T
    assert result.reliability is None
    result = stats([[1, 0], [0, 0]])  # totals 0.01 and 0: var(T) > 0
    assert result.reliability is not None
    assert result.items[0].discrimination is None  # the rest has no variance
    result = stats([[1, 100], [0, 0]])
    assert result.items[0].discrimination == pytest.approx(1.0)


def test_one_item_has_no_reliability() -> None:
    result = stats([[100], [0], [50]])
    assert result.reliability is None
    assert result.sd == pytest.approx(0.5)


def test_an_item_everyone_got_right_has_no_discrimination() -> None:
    result = stats([[100, 100], [100, 0], [100, 50]])
    assert result.items[0].discrimination is None
    assert result.items[1].discrimination is None  # its rest (item 0) has no variance
    assert result.items[0].sd == 0


def test_an_empty_class() -> None:
    result = StatsAccumulator([("a", 1.0), ("b", 2.0)]).result()
    assert (result.n, result.possible) == (0, 3.0)
    assert (result.mean, result.median, result.sd, result.minimum, result.maximum) == (0,) * 5
    assert result.histogram == (0,) * 10
    assert [(i.mean, i.facility, i.sd, i.discrimination) for i in result.items] == [
        (0, 0, 0, None)
    ] * 2


def test_items_worth_no_points() -> None:
    result = stats([[0], [0]], [0.0])
    assert result.histogram == (2, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert result.items[0].facility == 0


def test_a_row_of_the_wrong_length_is_refused() -> None:
    accumulator = StatsAccumulator([("a", 1.0), ("b", 1.0)])
    with pytest.raises(ValueError):
        accumulator.add([100], ["x"])
    with pytest.raises(ValueError):
        accumulator.add([100, 100, 100], ["x", "x", "x"])


def test_answers_are_counted_per_label() -> None:
    accumulator = StatsAccumulator([("a", 1.0)])
    for label in ("b", "a", "b", "c", "a", "b"):
        accumulator.add([0], [label])
    assert accumulator.result().items[0].frequencies == (("b", 3), ("a", 2), ("c", 1))
