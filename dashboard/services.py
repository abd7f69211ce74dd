"""Writes of the dashboard: the only one is forgetting cached figures."""

from __future__ import annotations

from .cache import bump_version


def dashboard_invalidate() -> str:
    """Make every cached dashboard figure stale at once (a new data version).

    Call it when money moves: a grant signed or its amount changed, a tranche paid,
    an expenditure recorded or removed, a report approved, a grant closed, a call
    opened, an application's status changed, a commitment or resolution updated.
    Cheap (one cache write) and safe inside a transaction: call it from
    ``transaction.on_commit`` so readers never cache figures of a rolled-back write.
    """
    return bump_version()
