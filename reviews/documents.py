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
        .prefetch_related("attendance__expert__user")
        .get(pk=session_id)
    )
    with translation.override(language):
        context = {
            "session": session,
            "call": session.call,
            "attendance": list(session.attendance.all()),
            "rows": call_ranking(call=session.call),
            "decisions": list(
                session.decisions.select_related("application__organisation")
            ),
            "settings_obj": call_settings(session.call),
            "language": language,
        }
        pdf = render_pdf("reviews/minutes_pdf.html", context, language=language)
    return f"minutes-{session.pk}-{language}.pdf", pdf
