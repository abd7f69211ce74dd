"""Home-page panels of the projects app."""

from alliance_portal.permissions import is_ngo_leader, is_staff_member

from . import selectors
from .models import Application


def panel_context(request) -> dict:
    user = request.user
    if is_ngo_leader(user):
        return {
            "projects_my_applications": list(
                selectors.applications_of_leader(user=user).defer(
                    *selectors.LONG_TEXTS
                )[:5]
            )
        }
    if is_staff_member(user):
        to_screen = (
            selectors.applications_for_screening(user=user)
            .filter(status__in=Application.SCREENING_STATUSES)
            .order_by("submitted_at", "pk")
        )
        return {
            "projects_to_screen_count": to_screen.count(),
            "projects_to_screen": list(to_screen[:5]),
        }
    return {}
