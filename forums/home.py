"""Context for the forums panels on each role's home page and the public card."""

from alliance_portal.permissions import is_ngo_leader, is_official, is_staff_member

from . import selectors


def panel_context(request) -> dict:
    user = request.user
    context: dict = {}
    if is_ngo_leader(user):
        context["forums_my_registrations"] = list(
            selectors.registrations_visible_to(user=user).order_by("-created_at")[:5]
        )
    elif is_staff_member(user):
        pending = selectors.pending_registrations()
        context["forums_pending"] = list(pending.order_by("created_at")[:5])
        context["forums_pending_count"] = pending.count()
    elif is_official(user):
        context["forums_upcoming"] = selectors.calendar_items()[:5]
    else:
        context["forums_public_upcoming"] = selectors.calendar_items()[:3]
    return context
