"""Context for grants/partials/home.html on each role's home page."""

from __future__ import annotations

from django.db.models import Count, Sum

from alliance_portal.permissions import is_fund_officer, is_ngo_leader, is_oversight
from grants.models import Tranche
from grants.selectors import grants_visible_to


def panel_context(request) -> dict:
    user = request.user
    if not (is_oversight(user) or is_ngo_leader(user)):
        return {}
    grants = grants_visible_to(user=user)
    panel = grants.aggregate(count=Count("pk"), total=Sum("amount"))
    if is_fund_officer(user):
        panel["awaiting"] = Tranche.objects.filter(
            grant__in=grants, status=Tranche.Status.APPROVED
        ).count()
    return {"grants_panel": panel}
