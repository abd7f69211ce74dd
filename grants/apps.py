from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        # Calls may require "no unfinished reports on earlier grants": grants answers.
        from projects.selectors import register_unfinished_reports_check

        from .reminders import unfinished_reports_of

        register_unfinished_reports_check(unfinished_reports_of)

        # A contract signed by every party with ЭЦП signs the grant (esign calls back).
        from esign.services import on_fully_signed

        from .services import grant_sign_electronically

        on_fully_signed("grant_contract")(grant_sign_electronically)

        # The yearly report to the state NGO database: grants know the money.
        from resources.state_report import register_figures

        from .state_report import grants_figures

        register_figures(grants_figures, order=10)
