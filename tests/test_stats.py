"""Class statistics checked against values worked out by hand on a small class."""

from __future__ import annotations

import math

import pytest

from comprende.stats import StatsAccumulator

# 5 students × 4 right/wrong items of 1 point: a perfect Guttman pattern.
ROWS = [
    [1, 1, 1, 1],  # total 4
    [1, 1, 1, 0],  # 3
    [1, 1, 0, 0],  # 2
    [1, 0, 0, 0],  # 1
    [0, 0, 0, 0],  # 0
]


@pytest.fixture
def stats():
    accumulator = StatsAccumulator([(f"i{n}", 1.0) for n in range(1, 5)])
    for row in ROWS:
        accumulator.add([100 * x for x in row], ["a" if x else "b" for x in row])
    return accumulator.result()


def test_class_figures(stats):
    assert stats.n == 5
    assert stats.mean == 2
    assert stats.median == 2
    assert stats.sd == pytest.approx(math.sqrt(10 / 4))  # squares of deviations 4+1+0+1+4
    assert (stats.minimum, stats.maximum, stats.possible) == (0, 4, 4)
    # totals 0, 1, 2, 3, 4 of 4 → 0 %, 25 %, 50 %, 75 %, 100 %
    assert stats.histogram == (1, 0, 1, 0, 0, 1, 0, 1, 0, 1)


def test_kr20(stats):
    # p = .8 .6 .4 .2; Σ p(1−p) = .16 + .24 + .24 + .16 = .8; var(T) = 10 / 5 = 2
    assert stats.reliability == pytest.approx(4 / 3 * (1 - 0.8 / 2))  # 0.8


def test_facility_and_item_rest_correlation(stats):
    first, second, third, fourth = stats.items
    assert [i.facility for i in stats.items] == pytest.approx([0.8, 0.6, 0.4, 0.2])
    # item 1: x = 1 1 1 1 0, rest = 3 2 1 0 0: cov = 6/5 − .8·1.2 = .24,
    # var(x) = .16, var(rest) = 14/5 − 1.2² = 1.36
    assert first.discrimination == pytest.approx(0.24 / math.sqrt(0.16 * 1.36))
    # item 2: x = 1 1 1 0 0, rest = 3 2 1 1 0: cov = 6/5 − .6·1.4 = .36,
    # var(x) = .24, var(rest) = 15/5 − 1.4² = 1.04
    assert second.discrimination == pytest.approx(0.36 / math.sqrt(0.24 * 1.04))
    # items 3 and 4 mirror items 2 and 1
    assert third.discrimination == pytest.approx(second.discrimination)
    assert fourth.discrimination == pytest.approx(first.discrimination)
    assert first.frequencies == (("a", 4), ("b", 1))
    assert first.sd == pytest.approx(math.sqrt(0.16 * 5 / 4))


def test_partial_credit_alpha():
    # Cronbach's alpha with partial points: items of 2 points.
    rows = [[2, 1.5], [1, 1], [0, 0.5]]
    accumulator = StatsAccumulator([("a", 2.0), ("b", 2.0)])
    for row in rows:
        accumulator.add([round(100 * x) for x in row], ["x", "x"])
    result = accumulator.result()
    var = lambda xs: sum((x - sum(xs) / len(xs)) ** 2 for x in xs) / len(xs)  # noqa: E731
    totals = [sum(r) for r in rows]
    expected = 2 * (1 - (var([2, 1, 0]) + var([1.5, 1, 0.5])) / var(totals))
    assert result.reliability == pytest.approx(expected)


def test_undefined_values_are_none():
    accumulator = StatsAccumulator([("a", 1.0), ("b", 1.0)])
    accumulator.add([100, 100], ["x", "x"])
    result = accumulator.result()
    assert result.reliability is None
    assert result.items[0].discrimination is None
    assert result.sd == 0
    empty = StatsAccumulator([("a", 1.0)]).result()
    assert (empty.n, empty.mean, empty.reliability) == (0, 0.0, None)


def test_order_does_not_matter():
    a, b = StatsAccumulator([("i", 1.0), ("j", 1.0)]), StatsAccumulator([("i", 1.0), ("j", 1.0)])
    rows = [[100, 0], [33, 100], [0, 67], [100, 100]]
    for row in rows:
        a.add(row, ["x", "y"])
    for row in reversed(rows):
        b.add(row, ["x", "y"])
    assert a.result() == b.result()
