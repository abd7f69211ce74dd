"""Generated documents of the memoranda app: the memorandum as an official PDF."""

from __future__ import annotations

from django.utils import translation

from alliance_portal.documents import register
from alliance_portal.pdf import render_pdf

from .selectors import memorandum_for_document


@register("memorandum_pdf")
def build_memorandum_pdf(job) -> tuple[str, bytes]:
    """The memorandum in the job's language (kk or ru), laid out for signing."""
    language = job.params.get("language", "kk")
    memorandum = memorandum_for_document(pk=job.params["memorandum"])
    with translation.override(language):
        content = render_pdf(
            "memoranda/pdf/memorandum.html",
            {"memorandum": memorandum, "language": language},
            language=language,
        )
    kind = memorandum.kind
    filename = f"memorandum-{kind}-{memorandum.number}-{language}.pdf"
    return filename, content
