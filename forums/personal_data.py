"""The forums app's part of a person's data export: the registrations that name them
(by their email) and those they made for others."""

from __future__ import annotations

from django.db.models import Q

from .models import Registration


def collect(user) -> dict:
    rows = (
        Registration.objects.filter(Q(email__iexact=user.email) | Q(registered_by=user))
        .select_related("forum", "event", "organisation")
        .order_by("created_at")
    )
    return {
        "registrations": [
            {
                "gathering": str(r.forum or r.event),
                "full_name": r.full_name,
                "position": r.position,
                "organisation": r.organisation.name,
                "email": r.email,
                "phone": r.phone,
                "status": r.status,
                "registered_at": r.created_at.isoformat(),
                "registered_by_me": r.registered_by_id == user.pk,
            }
            for r in rows
        ]
    }
