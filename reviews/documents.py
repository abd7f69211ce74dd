"""The council session's minutes (протокол) as a PDF in Kazakh or Russian."""

from django.utils import translation

from alliance_portal.documents import register
from alliance_portal.pdf import render_pdf

from .models import CouncilSession
from .selectors import call_ranking, call_settings


@register("council_minutes")
def build_minutes(job) -> tuple[str, bytes]:
    return minutes_pdf(job.params["session"], job.params.get("language", "kk"))


def minutes_pdf(session_id: int, language: str) -> tuple[str, bytes]:
    """(file name, PDF) of a council session's minutes; also used by the grant dossier."""
    session = (
        CouncilSession.objects.select_related("call")
        .prefetch_related("attendance__expert__user", "decisions")
        .get(pk=session_id)
    )
    ranking = call_ranking(call=session.call)
    decisions = {d.application_id: d for d in session.decisions.all()}
    # One row per decision of this session, in ranking order: a call of 500
    # applications made a 750-row, 50-page document out of the ranking and the
    # decisions side by side (20 s to lay out); the full ranking is on its page.
    rows = [
        (row, decisions[row.application.pk])
        for row in ranking
        if row.application.pk in decisions
    ]
    with translation.override(language):
        context = {
            "session": session,
            "call": session.call,
            "attendance": list(session.attendance.all()),
            "rows": rows,
            "ranked": len(ranking),
            "settings_obj": call_settings(session.call),
            "language": language,
        }
        pdf = render_pdf("reviews/minutes_pdf.html", context, language=language)
    return f"minutes-{session.pk}-{language}.pdf", pdf
