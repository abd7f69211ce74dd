from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("Resource centre")

    def ready(self) -> None:
        # The yearly-report reminder of members points to our page and skips NGOs
        # that recorded their filing.
        from django.urls import reverse

        from members.reminders import register_state_report

        from .models import StateReportFiling

        def url_for(organisation, year: int) -> str:
            return reverse("resources:state_report", args=[organisation.slug, year])

        def filed_organisations(year: int) -> set[int]:
            return set(
                StateReportFiling.objects.filter(year=year).values_list(
                    "organisation_id", flat=True
                )
            )

        register_state_report(url_for=url_for, filed_organisations=filed_organisations)
