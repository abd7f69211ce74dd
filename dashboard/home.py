"""Context for the dashboard's home-page panels and its public card."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.utils import timezone

from alliance_portal.permissions import is_ngo_leader, is_oversight
from members.selectors import organisations_of

from . import selectors
from .filters import DashboardFilters, funder_scope_of


def panel_context(request) -> dict:
    user = request.user
    if is_ngo_leader(user):
        return {
            "dashboard_organisations": [
                selectors.organisation_figures(organisation=o)
                for o in organisations_of(user=user).order_by("pk")[:3]
            ]
        }
    if is_oversight(user):
        year = timezone.localdate().year
        filters = replace(
            DashboardFilters(
                date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31)
            ),
            funder_scope=funder_scope_of(user),
        )
        return {
            "dashboard_headline": selectors.dashboard_data(filters=filters).headline,
            "dashboard_year": year,
        }
    if not user.is_authenticated:
        return {"dashboard_public": selectors.public_counts()}
    return {}
