"""Refuse to run in production with test anchors (start-up check, not only a warning)."""

from django.conf import settings
from django.core import checks

from .trust import TrustStoreError, configured_store


@checks.register(checks.Tags.security, deploy=False)
def trust_anchors_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        store = configured_store()
    except TrustStoreError as exc:
        return [checks.Error(f"ESIGN_TRUST_DIR: {exc}", id="esign.E001")]
    if store and store.has_test_anchors and not settings.ESIGN_ALLOW_TEST_ANCHORS:
        return [
            checks.Error(
                "ESIGN_TRUST_DIR holds TEST certification authorities, which are refused "
                "when ESIGN_ALLOW_TEST_ANCHORS is false (production).",
                id="esign.E002",
            )
        ]
    return []
