"""Writes of the dashboard: forgetting cached figures and filling the cache again."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from .cache import bump_version


def dashboard_invalidate(*, warm: bool = True) -> str:
    """Make every cached dashboard figure stale at once (a new data version).

    Call it when money moves: a grant signed or its amount changed, a tranche paid,
    an expenditure recorded or removed, a report approved, a grant closed, a call
    opened, an application's status changed, a commitment or resolution updated.
    Cheap (one cache write). With ``warm`` the default views are recomputed by Celery
    once the caller's transaction commits, so the 9 o'clock visit finds them cached.
    """
    version = bump_version()
    if warm:
        from .tasks import warm_dashboard  # tasks import this module: avoid a cycle

        transaction.on_commit(warm_dashboard.delay)
    return version


def dashboard_warm() -> int:
    """Compute and cache the views officials open first: all time and this year,
    in every language, for readers of all funders. Returns how many were filled."""
    from .filters import DashboardFilters
    from .selectors import dashboard_data

    year = timezone.localdate().year
    views = (
        DashboardFilters(),
        DashboardFilters(
            date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31)
        ),
    )
    filled = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for filters in views:
                dashboard_data(filters=filters)
                filled += 1
    return filled
