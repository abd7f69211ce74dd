"""Generated documents of the memoranda app: the memorandum as an official PDF."""

from __future__ import annotations

from django.utils import translation

from alliance_portal.documents import issue_info, issued_access, register
from alliance_portal.pdf import render_pdf

from .selectors import memoranda_visible_to, memorandum_for_document


@register("memorandum_pdf")
def build_memorandum_pdf(job) -> tuple[str, bytes]:
    """The memorandum in the job's language (kk or ru), laid out for signing."""
    language = job.params.get("language", "kk")
    memorandum = memorandum_for_document(pk=job.params["memorandum"])
    with translation.override(language):
        content = render_pdf(
            "memoranda/pdf/memorandum.html",
            {"memorandum": memorandum, "language": language, "issue": issue_info(job)},
            language=language,
        )
    kind = memorandum.kind
    version = issue_info(job).get("version")
    suffix = f"-v{version}" if version else ""
    filename = f"memorandum-{kind}-{memorandum.number}{suffix}-{language}.pdf"
    return filename, content


@issued_access("memorandum_pdf", reissuable=True)
def can_download_memorandum(user, memorandum) -> bool:
    return memoranda_visible_to(user=user).filter(pk=memorandum.pk).exists()
