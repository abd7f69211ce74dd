"""The projects app's part of a person's data export: the applications they wrote."""

from __future__ import annotations

from .models import Application


def collect(user) -> dict:
    return {
        "applications_written": [
            {
                "number": a.number,
                "title": a.title,
                "organisation": a.organisation.name,
                "status": a.status,
                "created_at": a.created_at.isoformat(),
            }
            for a in Application.objects.filter(created_by=user).select_related(
                "organisation"
            )
        ]
    }
