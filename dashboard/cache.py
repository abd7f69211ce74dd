"""The dashboard's cache: figures are cached per filters, language and day under a
"data version" that services bump when money moves (``dashboard_invalidate``)."""

from __future__ import annotations

from django.utils import timezone, translation

from alliance_portal.figures import figures_changed, figures_version

# A safety net: even if a writer forgets to bump the version, figures are at most
# this old. Overdue commitments and "members now" change with the day: the date is
# part of the key as well.
TTL_SECONDS = 15 * 60


# The version lives in the core so that the apps below the dashboard can bump it.
data_version = figures_version
bump_version = figures_changed


def figures_key(digest: str) -> str:
    language = translation.get_language() or "kk"
    return (
        f"dashboard:figures:{data_version()}:{timezone.localdate().isoformat()}"
        f":{language}:{digest}"
    )
