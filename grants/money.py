"""Splitting money exactly: parts add up to the whole, to the tiyn."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

from alliance_portal.money import CENT, to_money

DEFAULT_SPLIT = (Decimal(50), Decimal(30), Decimal(20))
TENGE = Decimal(1)


def allocate(amount, weights: Sequence) -> list[Decimal]:
    """Split ``amount`` in proportion to ``weights``; every part but the last is rounded
    down (to whole tenge when that leaves no part empty, else to the tiyn) and the last
    part takes the remainder, so the parts always add up exactly to ``amount``."""
    total = to_money(amount)
    weights = [Decimal(w) for w in weights]
    if not weights:
        raise ValueError("at least one weight is needed")
    weight_sum = sum(weights)
    if weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative and not all zero")
    for quantum in (TENGE, CENT):
        parts = [
            (total * w / weight_sum).quantize(quantum, rounding=ROUND_DOWN)
            for w in weights[:-1]
        ]
        parts.append(total - sum(parts, Decimal(0)))
        if all(p > 0 for p, w in zip(parts, weights, strict=True) if w > 0):
            break
    return parts


def split_default(amount) -> list[Decimal]:
    """50 / 30 / 20."""
    return allocate(amount, DEFAULT_SPLIT)
