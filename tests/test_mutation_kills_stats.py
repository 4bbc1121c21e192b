"""Class statistics at their edges: each test kills mutants that `make mutation` left alive.

The figures are those of the instructor's analysis report (report.html, item_analysis.csv).
"""

from __future__ import annotations

import math
import statistics

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


# ----------------------------------------------------------------------------- against the stdlib


def reference(rows: list[list[int]], points: list[float]) -> dict:
    """The figures computed the plain way, with :mod:`statistics`, in points."""
    totals = [sum(row) / 100 for row in rows]
    columns = [[row[i] / 100 for row in rows] for i in range(len(points))]
    k = len(points)
    item_variances = sum(statistics.pvariance(column) for column in columns)
    total_variance = statistics.pvariance(totals)
    items = []
    for index, (column, possible) in enumerate(zip(columns, points, strict=True)):
        rest = [(sum(row) - row[index]) / 100 for row in rows]  # exact: in hundredths
        defined = statistics.pvariance(column) > 0 and statistics.pvariance(rest) > 0
        items.append(
            (
                statistics.mean(column),
                statistics.mean(column) / possible,
                statistics.stdev(column),
                statistics.correlation(column, rest) if defined else None,
            )
        )
    return {
        "mean": statistics.mean(totals),
        "median": statistics.median(totals),
        "sd": statistics.stdev(totals),
        "minimum": min(totals),
        "maximum": max(totals),
        "reliability": k / (k - 1) * (1 - item_variances / total_variance),
        "items": items,
    }


CLASSES = [
    # five students, three items of 1, 2 and 0.5 points, partial credit
    ([[100, 200, 50], [0, 150, 50], [100, 50, 0], [50, 200, 25], [0, 0, 0]], [1.0, 2.0, 0.5]),
    # four students (an even class), right/wrong items: KR-20
    ([[100, 100, 0, 100], [100, 0, 0, 0], [0, 100, 100, 100], [100, 100, 100, 100]], [1.0] * 4),
    # ties: six students, three pairs with the same answers
    ([[100, 0], [100, 0], [0, 100], [0, 100], [100, 100], [100, 100]], [1.0, 1.0]),
    # two students (n = 2)
    ([[30, 100, 0], [90, 0, 100]], [1.0, 1.0, 1.0]),
]


@pytest.mark.parametrize(("rows", "points"), CLASSES)
def test_the_figures_of_a_class_are_the_plain_ones(
    rows: list[list[int]], points: list[float]
) -> None:
    result = stats(rows, points)
    expected = reference(rows, points)
    assert result.n == len(rows) and result.possible == pytest.approx(sum(points))
    for name in ("mean", "median", "sd", "minimum", "maximum", "reliability"):
        assert getattr(result, name) == pytest.approx(expected[name], abs=1e-12), name
    for item, (mean, facility, sd, discrimination) in zip(
        result.items, expected["items"], strict=True
    ):
        assert (item.mean, item.facility, item.sd) == pytest.approx((mean, facility, sd), abs=1e-12)
        assert item.n == len(rows)
        if discrimination is None:
            assert item.discrimination is None
        else:
            assert item.discrimination == pytest.approx(discrimination, abs=1e-12)
    assert [(i.item_id, i.possible) for i in result.items] == [
        (f"i{n}", p) for n, p in enumerate(points)
    ]


def test_one_class_by_hand() -> None:
    """Five students, three items (1, 2 and 0.5 points): the figures worked out on paper."""
    result = stats(*CLASSES[0])
    # totals 3.5, 2, 1.5, 2.75, 0: mean 9.75 / 5, median 2, sd √(Σ(t − 1.95)² / 4)
    assert result.mean == pytest.approx(1.95)
    assert result.median == 2.0
    assert result.sd == pytest.approx(
        math.sqrt((1.55**2 + 0.05**2 + 0.45**2 + 0.8**2 + 1.95**2) / 4)
    )
    assert (result.minimum, result.maximum) == (0.0, 3.5)
    # 3.5 points possible: 100 %, 57 %, 43 %, 79 %, 0 %
    assert result.histogram == (1, 0, 0, 0, 1, 1, 0, 1, 0, 1)
    first = result.items[0]
    assert (first.mean, first.facility) == pytest.approx((0.5, 0.5))
    assert first.sd == pytest.approx(math.sqrt((0.25 * 4) / 4))  # 1, 0, 1, 0.5, 0


def test_the_histogram_edges() -> None:
    """Bins by percentage of the points possible: 10 % is in the second bin, 100 % in the last."""
    scores = [0, 99, 100, 101, 499, 500, 899, 900, 999, 1000]  # of 10 points
    result = stats([[s] for s in scores], [10.0])
    assert result.histogram == (2, 2, 0, 0, 1, 1, 0, 0, 1, 3)
    result = stats([[s] for s in (0, 1, 2, 3)], [0.03])  # 3 hundredths possible
    assert result.histogram == (1, 0, 0, 1, 0, 0, 1, 0, 0, 1)


def test_one_student() -> None:
    result = stats([[100, 50]], [1.0, 1.0])
    assert (result.n, result.mean, result.median, result.sd) == (1, 1.5, 1.5, 0.0)
    assert (result.minimum, result.maximum, result.reliability) == (1.5, 1.5, None)
    assert [(i.mean, i.facility, i.sd, i.discrimination) for i in result.items] == [
        (1.0, 1.0, 0.0, None),
        (0.5, 0.5, 0.0, None),
    ]
    assert result.histogram == (0, 0, 0, 0, 0, 0, 0, 1, 0, 0)


def test_the_answers_are_counted_per_item() -> None:
    accumulator = StatsAccumulator([("a", 1.0), ("b", 1.0)])
    accumulator.add([100, 0], ["x", "y"])
    accumulator.add([100, 100], ["x", "z"])
    accumulator.add([0, 100], ["w", "z"])
    first, second = accumulator.result().items
    assert first.frequencies == (("x", 2), ("w", 1))
    assert second.frequencies == (("z", 2), ("y", 1))


def test_a_rest_one_hundredth_apart_has_a_discrimination() -> None:
    result = stats([[100, 1], [0, 0]])  # item 0's rest: 0.01 and 0
    assert result.items[0].discrimination == pytest.approx(1.0)


def test_answers_given_as_often_are_listed_by_label() -> None:
    accumulator = StatsAccumulator([("a", 1.0)])
    for label in ("c", "b", "a", "c"):
        accumulator.add([0], [label])
    assert accumulator.result().items[0].frequencies == (("c", 2), ("a", 1), ("b", 1))
