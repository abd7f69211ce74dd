"""Upload checks: size and type by content (never by the file name)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads

PDF = uploads.PDF
EVIDENCE_TYPES = {PDF, "image/jpeg", "image/png", *uploads.OFFICE}


def validate_pdf(upload) -> str:
    """Raise unless the upload is a PDF of at most 10 MB; return its MIME type."""
    return uploads.check_upload(
        upload,
        allowed={PDF},
        message=_("This file is not a PDF document. Upload the signed scan as a PDF."),
    )


def validate_evidence(upload) -> str:
    """Raise unless the upload is a PDF, image or Office file of at most 10 MB."""
    return uploads.check_upload(
        upload,
        allowed=EVIDENCE_TYPES,
        message=_("Upload a PDF, JPEG, PNG, DOCX or XLSX file."),
    )
