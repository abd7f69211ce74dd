"""Generated documents of the projects app."""

from django.utils import translation

from alliance_portal.documents import register
from alliance_portal.pdf import render_pdf

from .forms import section_titles
from .models import Application


@register("application_pdf")
def build_application_pdf(job) -> tuple[str, bytes]:
    return application_pdf(
        job.params["application_id"], job.params.get("language", "kk")
    )


def application_pdf(application_id: int, language: str) -> tuple[str, bytes]:
    """The submitted application as a printable PDF in Kazakh or Russian; also used
    by the grant dossier."""
    application = (
        Application.objects.select_related(
            "call", "organisation", "organisation__district", "theme"
        )
        .prefetch_related(
            "districts",
            "activities",
            "results",
            "budget_lines",
            "attachments__required_document",
        )
        .get(pk=application_id)
    )
    with translation.override(language):
        titles = {k: str(v) for k, v in section_titles().items()}
    content = render_pdf(
        "projects/pdf/application.html",
        {"application": application, "titles": titles, "language": language},
        language=language,
    )
    return f"{application.number or application.pk}-{language}.pdf", content
