"""Context for esign/partials/home.html: what waits for this person's signature."""

from .selectors import waiting_for


def panel_context(request) -> dict:
    if not request.user.is_authenticated:
        return {}
    return {"esign_waiting": waiting_for(user=request.user).count()}
