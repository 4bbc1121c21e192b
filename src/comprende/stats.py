"""Class statistics and item analysis, computed in one pass over the class.

Scores are kept as integer hundredths of a point (every grade is rounded to
hundredths), so running sums are exact and the result does not depend on the order
the students arrive in. Memory does not grow with the class: per item five sums and a
count of each answer given; per class the count of each distinct total.

Formulas (``n`` students, ``k`` scored items, ``x`` an item's points, ``T`` the total):

* facility: mean of ``x`` / the item's points;
* discrimination: Pearson correlation of ``x`` with the rest of the test ``T - x``
  (item–rest correlation); undefined (``None``) when either has no variance;
* reliability: Cronbach's alpha, ``k / (k - 1) * (1 - sum var(x) / var(T))``, which is
  KR-20 when every item scores 0 or full marks; ``None`` when undefined;
* the standard deviation of totals is the sample one (``n - 1``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

#: Number of bins of the score histogram (by percentage: 0–10 %, …, 90–100 %).
HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class ItemStats:
    """The analysis of one auto-graded item."""

    #: The item's id.
    item_id: str
    #: Points possible.
    possible: float
    #: Students counted (every graded student; a missing answer scores 0).
    n: int
    #: Mean points.
    mean: float
    #: Mean points / points possible (0–1): higher is easier.
    facility: float
    #: Sample standard deviation of the points.
    sd: float
    #: Item–rest correlation (−1–1), or ``None`` when undefined.
    discrimination: float | None
    #: How often each answer was given, most frequent first (ties by label).
    frequencies: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ClassStats:
    """The statistics of a class's totals (auto-graded items only) and of its items."""

    #: Students counted.
    n: int
    #: Points possible over the scored items.
    possible: float
    mean: float
    median: float
    #: Sample standard deviation (0 with fewer than two students).
    sd: float
    minimum: float
    maximum: float
    #: Cronbach's alpha (KR-20 for right/wrong items), or ``None`` when undefined.
    reliability: float | None
    #: Students per percentage bin: 0–10 %, 10–20 %, …, 90–100 % (100 % in the last).
    histogram: tuple[int, ...]
    #: One entry per scored item, in bank order.
    items: tuple[ItemStats, ...]


class _ItemSums:
    __slots__ = ("labels", "s", "sq", "st")

    def __init__(self) -> None:
        self.s = self.sq = self.st = 0
        self.labels: Counter[str] = Counter()


class StatsAccumulator:
    """Feed one row per student with :meth:`add`; read the statistics with :meth:`result`."""

    def __init__(self, items: Sequence[tuple[str, float]]) -> None:
        #: ``(item id, points possible)`` of the scored items, in order.
        self.items = tuple(items)
        self._sums = [_ItemSums() for _ in self.items]
        self._n = 0
        self._totals: Counter[int] = Counter()

    def add(self, scores: Sequence[int], labels: Sequence[str]) -> None:
        """One student: points in hundredths and the answer label, per scored item."""
        total = sum(scores)
        self._n += 1
        self._totals[total] += 1
        for sums, score, label in zip(self._sums, scores, labels, strict=True):
            sums.s += score
            sums.sq += score * score
            sums.st += score * total
            sums.labels[label] += 1

    def result(self) -> ClassStats:
        n = self._n
        possible = sum(points for _, points in self.items)
        totals = self._totals
        sum_t = sum(total * count for total, count in totals.items())
        sum_tt = sum(total * total * count for total, count in totals.items())
        n_var_t = n * sum_tt - sum_t * sum_t  # n² · population variance, exact
        items = tuple(
            self._item(item_id, points, sums, sum_t, sum_tt)
            for (item_id, points), sums in zip(self.items, self._sums, strict=True)
        )
        reliability = None
        k = len(self.items)
        if n > 1 and k > 1 and n_var_t > 0:
            n_var_items = sum(n * s.sq - s.s * s.s for s in self._sums)
            reliability = k / (k - 1) * (1 - n_var_items / n_var_t)
        histogram = [0] * HISTOGRAM_BINS
        possible_h = round(possible * 100)
        for total, count in totals.items():
            index = (
                min(HISTOGRAM_BINS - 1, total * HISTOGRAM_BINS // possible_h) if possible_h else 0
            )
            histogram[index] += count
        return ClassStats(
            n=n,
            possible=possible,
            mean=sum_t / n / 100 if n else 0.0,
            median=_median(totals) / 100 if n else 0.0,
            sd=math.sqrt(n_var_t / (n * (n - 1))) / 100 if n > 1 else 0.0,
            minimum=min(totals) / 100 if n else 0.0,
            maximum=max(totals) / 100 if n else 0.0,
            reliability=reliability,
            histogram=tuple(histogram),
            items=items,
        )

    def _item(
        self, item_id: str, points: float, sums: _ItemSums, sum_t: int, sum_tt: int
    ) -> ItemStats:
        n = self._n
        n_var_x = n * sums.sq - sums.s * sums.s
        rest, rest_sq = sum_t - sums.s, sum_tt - 2 * sums.st + sums.sq
        n_var_rest = n * rest_sq - rest * rest
        n_cov = n * (sums.st - sums.sq) - sums.s * rest
        discrimination = None
        if n_var_x > 0 and n_var_rest > 0:
            discrimination = n_cov / math.sqrt(n_var_x * n_var_rest)
        mean = sums.s / n / 100 if n else 0.0
        frequencies = tuple(sorted(sums.labels.items(), key=lambda pair: (-pair[1], pair[0])))
        return ItemStats(
            item_id=item_id,
            possible=points,
            n=n,
            mean=mean,
            facility=mean / points if points else 0.0,
            sd=math.sqrt(n_var_x / (n * (n - 1))) / 100 if n > 1 else 0.0,
            discrimination=discrimination,
            frequencies=frequencies,
        )


def _median(counts: Counter[int]) -> float:
    n = sum(counts.values())
    middle = ((n - 1) // 2, n // 2)
    values: list[int] = []
    seen = 0
    for value in sorted(counts):
        count = counts[value]
        for position in middle:
            if seen <= position < seen + count:
                values.append(value)
        seen += count
        if len(values) == 2:
            break
    return sum(values) / 2
