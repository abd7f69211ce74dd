"""Context for the members panels on each role's home page and the public card."""

from alliance_portal.permissions import is_ngo_leader, is_staff_member, role_of

from . import selectors


def panel_context(request) -> dict:
    user = request.user
    if is_ngo_leader(user):
        return {"members_affiliations": list(selectors.affiliations_of(user=user))}
    if is_staff_member(user):
        return {"members_queue": selectors.staff_queue_counts()}
    if role_of(user) is None:
        return {"members_counts": selectors.member_counts()}
    return {}
