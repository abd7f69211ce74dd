"""The council session's minutes as a record: what the council saw and decided,
frozen when the session closes. The PDF reads this snapshot and nothing else."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from .models import CouncilSession
from .selectors import call_ranking, call_settings

SCHEMA = 1


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _organisation(application) -> dict[str, str]:
    org = application.organisation
    return {"kk": org.name_kk, "ru": org.name_ru}


def _person(user) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


def minutes_snapshot_build(session: CouncilSession) -> dict:
    """Everything the minutes print, as plain JSON: attendance and quorum, agenda,
    time and place, chair and secretary, the ranking as it stands now, and each
    decision with its amount, votes and dissenting opinions. Call it when the
    session closes, after its decisions are saved."""
    session = (
        CouncilSession.objects.select_related("call", "chair__user", "secretary")
        .prefetch_related("attendance__expert__user")
        .get(pk=session.pk)
    )
    call = session.call
    settings_obj = call_settings(call)
    present = [
        {"name": _person(a.expert.user), "remote": a.remote}
        for a in session.attendance.all()
    ]
    from .scoring import quorum_needed

    needed = quorum_needed(
        session.council_size,
        settings_obj.quorum_numerator,
        settings_obj.quorum_denominator,
    )
    ranking = [
        {
            "position": r.position,
            "application": r.application.number or str(r.application.pk),
            "organisation": _organisation(r.application),
            "title": r.application.title,
            "title_ru": r.application.title_ru,
            "mean": _money(r.aggregate.mean),
            "spread": _money(r.aggregate.spread),
            "reviews": r.aggregate.count,
            "requested": _money(r.application.requested_amount),
            "running_total": _money(r.running_total),
            "within_envelope": r.within_envelope,
            "decision": r.decision.decision if r.decision else "",
        }
        for r in call_ranking(call=call)
    ]
    decisions = [
        {
            "application": d.application.number or str(d.application.pk),
            "organisation": _organisation(d.application),
            "title": d.application.title,
            "title_ru": d.application.title_ru,
            "requested": _money(d.application.requested_amount),
            "mean": _money(d.mean_score),
            "decision": d.decision,
            "amount": _money(d.amount),
            "conditions": d.conditions,
            "reasons": d.reasons,
            "votes": {
                "for": d.votes_for,
                "against": d.votes_against,
                "abstained": d.votes_abstained,
            },
            "dissent": d.dissent,
        }
        for d in session.decisions.select_related("application__organisation")
    ]
    return {
        "schema": SCHEMA,
        "number": str(session.pk),
        "call": {
            "title_kk": call.title_kk,
            "title_ru": call.title_ru,
            "envelope": _money(call.envelope),
        },
        "held_on": session.held_on.isoformat(),
        "starts_at": session.starts_at.strftime("%H:%M") if session.starts_at else "",
        "place": session.place,
        "agenda": session.agenda,
        "chair": _person(session.chair.user) if session.chair else "",
        "secretary": _person(session.secretary),
        "council_size": session.council_size,
        "present": present,
        "quorum": {
            "present": len(present),
            "size": session.council_size,
            "needed": needed,
            "met": len(present) >= needed,
        },
        "ranking": ranking,
        "decisions": decisions,
        "envelope_override_reason": session.envelope_override_reason,
        "closed_at": (session.decided_at or timezone.now()).isoformat(),
    }
