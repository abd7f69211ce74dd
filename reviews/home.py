"""Home-page panels of the expert review (see docs/architecture.md)."""

from django.db.models import Exists, OuterRef

from alliance_portal.permissions import is_expert, is_ngo_leader, is_staff_member
from projects.selectors import LONG_TEXTS

from .models import Assignment, CouncilDecision
from .selectors import applications_of_leader, assignments_visible_to, calls_for_staff


def panel_context(request) -> dict:
    user = request.user
    if is_expert(user):
        open_ = assignments_visible_to(user=user).filter(
            status__in=[Assignment.Status.ASSIGNED, Assignment.Status.REOPENED]
        )
        return {
            "reviews_due": open_.count(),
            "reviews_next_due": open_.exclude(due=None).order_by("due").first(),
        }
    if is_ngo_leader(user):
        decided = CouncilDecision.objects.filter(
            application=OuterRef("pk"), session__decided_at__isnull=False
        )
        return {
            "reviews_decisions": list(
                applications_of_leader(user=user)
                .filter(Exists(decided))
                .defer(*LONG_TEXTS)
                .order_by("-updated_at")[:5]
            )
        }
    if is_staff_member(user):
        return {"reviews_calls": list(calls_for_staff()[:5])}
    return {}
