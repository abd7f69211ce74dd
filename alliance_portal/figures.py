"""One version number for the portal's published figures (dashboard, transparency).

Services call :func:`figures_changed` when money moves or a status changes; readers
put :func:`figures_version` in their cache keys, so every cached figure goes stale at
once. Lower apps call this without knowing who caches (the dashboard sits above them).
"""

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "portal:figures-version"


def figures_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # add() so that two first readers agree on one version
        cache.add(VERSION_KEY, str(time.time_ns()), timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def figures_changed() -> str:
    version = str(time.time_ns())
    cache.set(VERSION_KEY, version, timeout=None)
    return version


def figures_changed_on_commit() -> None:
    """For services: bump once the change is visible to readers (after commit), so a
    reader can never cache old figures under the new version."""
    transaction.on_commit(figures_changed)
