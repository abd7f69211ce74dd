"""Object rules of the projects app (django-rules)."""

import rules

from alliance_portal.permissions import is_ngo_leader, is_staff_member

from .selectors import is_leader_of


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and is_leader_of(
        user=user, organisation_id=application.organisation_id
    )


@rules.predicate
def is_editable(user, application) -> bool:
    return application is not None and application.is_editable


@rules.predicate
def is_withdrawable(user, application) -> bool:
    return (
        application is not None
        and application.status in application.WITHDRAWABLE_STATUSES
    )


can_view_application = is_staff_member | (is_ngo_leader & is_applicant)
can_edit_application = is_ngo_leader & is_applicant & is_editable
can_withdraw_application = is_ngo_leader & is_applicant & is_withdrawable
can_screen_application = is_staff_member

rules.add_perm("projects.view_application", can_view_application)
rules.add_perm("projects.edit_application", can_edit_application)
rules.add_perm("projects.withdraw_application", can_withdraw_application)
rules.add_perm("projects.screen_application", can_screen_application)
rules.add_perm("projects.manage_calls", is_staff_member)
