"""Object rules of the forums app, built on the role predicates."""

import rules

from alliance_portal.permissions import is_ngo_leader, is_official, is_staff_member

# Staff are the only writers of forums, events, agenda and resolutions.
can_manage_forums = is_staff_member
# Registering delegates: NGO leaders (for their organisations) and staff.
can_register_delegates = is_ngo_leader | is_staff_member
# Participant lists, exports and statistics.
can_read_participants = is_staff_member | is_official

rules.add_perm("forums.manage", can_manage_forums)
rules.add_perm("forums.register", can_register_delegates)
rules.add_perm("forums.read_participants", can_read_participants)
