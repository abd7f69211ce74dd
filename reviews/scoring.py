"""Aggregation maths of the expert review, free of Django so it is easy to prove.

* A review's weighted total is on 0–100: each applicable criterion contributes
  ``weight × value / scale_max``; criteria marked not applicable are left out and the
  remaining weights re-normalised (never counted as zero).
* Per application: the mean of the totals, the spread (max − min), a disagreement flag
  when the spread exceeds the call's margin, and how many reviews are in vs required.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionScore:
    weight: Decimal
    scale_max: int
    value: Decimal | None
    not_applicable: bool = False


@dataclass(frozen=True)
class Aggregate:
    totals: tuple[Decimal, ...]
    mean: Decimal | None
    spread: Decimal | None
    disagreement: bool
    count: int
    required: int

    @property
    def complete(self) -> bool:
        return self.count >= self.required


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(scores: Iterable[CriterionScore]) -> Decimal | None:
    """The review's total on 0–100, or None when every criterion is not applicable."""
    weight_sum = Decimal(0)
    points = Decimal(0)
    for s in scores:
        if s.not_applicable or s.value is None:
            continue
        weight_sum += s.weight
        points += s.weight * Decimal(s.value) / Decimal(s.scale_max)
    if weight_sum == 0:
        return None
    return _q(points / weight_sum * HUNDRED)


def aggregate(
    totals: Sequence[Decimal], *, margin: Decimal, required: int
) -> Aggregate:
    """Mean, spread and the disagreement flag of the submitted reviews' totals."""
    values = tuple(t for t in totals if t is not None)
    if not values:
        return Aggregate((), None, None, False, 0, required)
    mean = _q(sum(values, Decimal(0)) / len(values))
    spread = _q(max(values) - min(values))
    return Aggregate(values, mean, spread, spread > margin, len(values), required)


@dataclass(frozen=True)
class RankedRow:
    key: object
    mean: Decimal | None
    requested: Decimal
    running_total: Decimal
    within_envelope: bool


def rank(
    rows: Sequence[tuple[object, Decimal | None, Decimal]], *, envelope: Decimal
) -> list[RankedRow]:
    """Order (key, mean, requested) by mean descending (unscored last) and add the
    running total of requested amounts against the envelope: where the money runs
    out is the first row with ``within_envelope`` False."""
    ordered = sorted(
        rows, key=lambda r: (r[1] is None, -(r[1] or Decimal(0)), str(r[0]))
    )
    out: list[RankedRow] = []
    running = Decimal(0)
    for key, mean, requested in ordered:
        running += requested
        out.append(RankedRow(key, mean, requested, running, running <= envelope))
    return out


def quorum_needed(council_size: int, numerator: int = 2, denominator: int = 3) -> int:
    """ceil(council_size × numerator / denominator), in integers (no float rounding)."""
    return -(-council_size * numerator // denominator)
