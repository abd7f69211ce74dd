from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsignConfig(AppConfig):
    name = "esign"
    verbose_name = _("Electronic signatures")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from .checks import trust_anchors_check

        # Production must not even start with test anchors or an unpinned file.
        if not settings.ESIGN_ALLOW_TEST_ANCHORS:
            errors = trust_anchors_check()
            if errors:
                raise ImproperlyConfigured(errors[0].msg)
