"""Object rules of the expert review, built on the role predicates."""

import rules

from alliance_portal.permissions import is_expert, is_official, is_staff_member


@rules.predicate
def is_assigned_expert(user, assignment) -> bool:
    return assignment is not None and assignment.expert.user_id == user.pk


@rules.predicate
def is_decided_call(user, call) -> bool:
    return (
        call is not None
        and call.council_sessions.filter(decided_at__isnull=False).exists()
    )


rules.add_perm("reviews.manage", is_staff_member)
rules.add_perm("reviews.score_assignment", is_expert & is_assigned_expert)
rules.add_perm(
    "reviews.view_results", is_staff_member | (is_official & is_decided_call)
)
