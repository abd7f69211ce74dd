from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        # The yearly report to the state NGO database: forums know the events.
        from resources.state_report import register_figures

        from .state_report import events_figures

        register_figures(events_figures, order=50)
