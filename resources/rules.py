"""Object rules of the resource centre, built on the role predicates."""

import rules

from alliance_portal.permissions import (
    is_expert,
    is_fund_officer,
    is_ngo_leader,
    is_official,
    is_staff_member,
)
from members.selectors import members_on, organisations_of


@rules.predicate
def leads_a_member_organisation(user) -> bool:
    """An NGO leader of an organisation that is an alliance member today. Answered
    once per request: the user object keeps the answer."""
    if not is_ngo_leader(user):
        return False
    cached = getattr(user, "_resources_is_member", None)
    if cached is None:
        cached = members_on().filter(pk__in=organisations_of(user=user)).exists()
        user._resources_is_member = cached
    return cached


# "Members only" means the alliance's own people: its member NGOs' leaders, its staff,
# the expert council, and the partners who oversee the money.
sees_members_only = (
    is_staff_member
    | is_official
    | is_fund_officer
    | is_expert
    | leads_a_member_organisation
)
can_manage_resources = is_staff_member
can_ask_consultation = is_ngo_leader
# Halls and equipment are booked for a member NGO (or by staff for one): the
# officials, the fund and the experts see the calendar but book nothing.
can_book = is_staff_member | leads_a_member_organisation
# A leader whose organisation left the alliance still sees the bookings it made.
sees_bookings = is_staff_member | is_ngo_leader


@rules.predicate
def can_see_item(user, item) -> bool:
    return item.audience == "public" or sees_members_only(user)


@rules.predicate
def can_see_consultation(user, consultation) -> bool:
    if is_staff_member(user):
        return True
    return (
        is_ngo_leader(user)
        and organisations_of(user=user).filter(pk=consultation.organisation_id).exists()
    )


@rules.predicate
def can_rate_consultation(user, consultation) -> bool:
    return consultation.asked_by_id == getattr(
        user, "pk", None
    ) and consultation.status in (
        "answered",
        "closed",
    )


rules.add_perm("resources.manage", can_manage_resources)
rules.add_perm("resources.ask", can_ask_consultation)
rules.add_perm("resources.see_members_only", sees_members_only)
