"""Context for the resource centre's panels on each role's home page and the public
page: pinned news for everyone, open questions for staff, own questions for leaders."""

from alliance_portal.permissions import is_ngo_leader, is_staff_member

from . import selectors
from .models import Consultation


def panel_context(request) -> dict:
    user = request.user
    context: dict = {"resources_pinned": selectors.news_pinned_for(user=user)}
    if is_staff_member(user):
        waiting = selectors.consultations_visible_to(user=user).filter(
            status__in=[Consultation.Status.OPEN, Consultation.Status.ASSIGNED]
        )
        context["resources_waiting"] = list(waiting.order_by("created_at")[:5])
        context["resources_waiting_count"] = waiting.count()
    elif is_ngo_leader(user):
        context["resources_my_questions"] = list(
            selectors.consultations_visible_to(user=user)[:5]
        )
    return context
