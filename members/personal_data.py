"""The members app's part of a person's data export."""

from __future__ import annotations


def collect(user) -> dict:
    return {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": getattr(user, "phone", ""),
            "role": user.role,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "affiliations": [
            {
                "organisation": a.organisation.name,
                "role": a.role,
                "status": a.status,
                "since": a.created_at.isoformat(),
            }
            for a in user.affiliations.select_related("organisation")
        ],
        "consents": [
            {
                "context": c.context,
                "notice_version": c.text_version,
                "given_at": c.given_at.isoformat(),
            }
            for c in user.consents.all()
        ],
        "erasure_requests": [
            {
                "requested_at": r.requested_at.isoformat(),
                "status": r.status,
                "reason": r.decision_reason,
            }
            for r in user.erasure_requests.all()
        ],
    }
