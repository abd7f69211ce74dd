"""The events' share of an NGO's yearly report to the state NGO database: the events
it organised in the year and their participants. Registered with
``resources.state_report`` in ``ForumsConfig.ready``."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from resources.state_report import Row, Section

from .models import Event, Registration


def events_figures(*, organisation, year: int) -> list[Section]:
    figures = Event.objects.filter(
        organiser=organisation, starts_at__year=year
    ).aggregate(
        events=Count("pk", distinct=True),
        participants=Count(
            "registrations",
            filter=Q(
                registrations__status__in=[
                    Registration.Status.CONFIRMED,
                    Registration.Status.ATTENDED,
                ]
            ),
        ),
    )
    return [
        Section(
            _("Events held"),
            [
                Row(_("Events organised in the year"), figures["events"]),
                Row(_("Registered participants"), figures["participants"]),
            ],
        )
    ]
