from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancePortalConfig(AppConfig):
    name = "alliance_portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from . import documents, lookups, reminders, security

        lookups.register()
        documents.autodiscover()
        reminders.autodiscover()
        security.connect()
