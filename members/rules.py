"""Object rules of the members app."""

import rules

from alliance_portal.permissions import is_ngo_leader, is_official, is_staff_member

from .models import Affiliation


@rules.predicate
def leads_organisation(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return Affiliation.objects.filter(
        user=user,
        organisation=organisation,
        role=Affiliation.Role.LEADER,
        status=Affiliation.Status.APPROVED,
    ).exists()


can_manage_organisation = is_ngo_leader & leads_organisation
can_see_private_details = is_staff_member
# Private documents: the organisation's own leaders and staff add them; officials
# also read them. Nobody else, the public included, learns they exist.
can_upload_document = can_manage_organisation | is_staff_member
can_see_documents = can_manage_organisation | is_staff_member | is_official

# Requisites (bank accounts, the signatory): the organisation's leaders and staff
# edit them; officials also read them.
can_edit_requisites = can_manage_organisation | is_staff_member
can_see_requisites = can_manage_organisation | is_staff_member | is_official

rules.add_perm("members.manage_organisation", can_manage_organisation)
rules.add_perm("members.see_private_details", can_see_private_details)
rules.add_perm("members.administer_registry", is_staff_member)
rules.add_perm("members.upload_document", can_upload_document)
rules.add_perm("members.see_documents", can_see_documents)
rules.add_perm("members.edit_requisites", can_edit_requisites)
rules.add_perm("members.see_requisites", can_see_requisites)
