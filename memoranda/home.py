"""Context for this app's home-page panel and public card."""

from alliance_portal.permissions import is_oversight

from .selectors import commitments_panel, memoranda_in_force_count


def panel_context(request) -> dict:
    context: dict = {}
    if is_oversight(request.user):
        context["memoranda_panel"] = commitments_panel(user=request.user)
    elif not request.user.is_authenticated:
        context["memoranda_in_force"] = memoranda_in_force_count()
    return context
