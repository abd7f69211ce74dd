"""Object rules of the memoranda app. Reading goes through the scoped selectors
(out of scope → 404); writing is for alliance staff only."""

import rules

from alliance_portal.permissions import is_oversight, is_staff_member

can_edit_memoranda = is_staff_member
# Officials and fund officers follow progress but do not write it.
can_read_all_memoranda = is_oversight

rules.add_perm("memoranda.change_memorandum", can_edit_memoranda)
rules.add_perm("memoranda.add_memorandum", can_edit_memoranda)
rules.add_perm("memoranda.change_commitment", can_edit_memoranda)
