"""The dashboard's cache: figures are cached per filters, language and day under a
"data version" that services bump when money moves (``dashboard_invalidate``)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils import timezone, translation

VERSION_KEY = "dashboard:data-version"
# A safety net: even if a writer forgets to bump the version, figures are at most
# this old. Overdue commitments and "members now" change with the day: the date is
# part of the key as well.
TTL_SECONDS = 15 * 60


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        # add() so that two first readers agree on one version
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def bump_version() -> str:
    version = str(time.time_ns())
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def figures_key(digest: str) -> str:
    language = translation.get_language() or "kk"
    return (
        f"dashboard:figures:{data_version()}:{timezone.localdate().isoformat()}"
        f":{language}:{digest}"
    )
