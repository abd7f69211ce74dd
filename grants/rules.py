"""Object rules of the grants app (django-rules). Lists are scoped by selectors; these
predicates decide what a user may do with one grant they can already see."""

from __future__ import annotations

import rules

from alliance_portal.permissions import (
    is_fund_officer,
    is_ngo_leader,
    is_official,
    is_staff_member,
)
from grants.selectors import organisation_ids_of


@rules.predicate
def is_grant_organisation_member(user, grant) -> bool:
    return grant is not None and grant.organisation_id in organisation_ids_of(user=user)


@rules.predicate
def is_grant_fund_officer(user, grant) -> bool:
    return grant is not None and grant.funder_id in organisation_ids_of(user=user)


can_view_grant = (
    is_staff_member
    | is_official
    | (is_ngo_leader & is_grant_organisation_member)
    | (is_fund_officer & is_grant_fund_officer)
)
# The NGO records spending, writes reports and asks for revisions; staff may too.
can_report_on_grant = is_staff_member | (is_ngo_leader & is_grant_organisation_member)
can_manage_grant = is_staff_member
can_confirm_payment = is_staff_member | (is_fund_officer & is_grant_fund_officer)
# Auditors' dossier: staff, officials, and the fund for its own grants.
can_download_dossier = (
    is_staff_member | is_official | (is_fund_officer & is_grant_fund_officer)
)
