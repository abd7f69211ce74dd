"""Upload checks: size and type by content (never by the file name)."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
EVIDENCE_TYPES = {
    PDF,
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _max_size() -> int:
    return getattr(settings, "MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def sniff(upload) -> str | None:
    """The MIME type guessed from the first bytes of the file."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _check_size(upload) -> None:
    if upload.size > _max_size():
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(_max_size()),
            },
        )


def validate_pdf(upload) -> str:
    """Raise unless the upload is a PDF of at most 10 MB; return its MIME type."""
    _check_size(upload)
    mime = sniff(upload)
    if mime != PDF:
        raise ValidationError(
            _("This file is not a PDF document. Upload the signed scan as a PDF."),
            code="not_pdf",
        )
    return mime


def validate_evidence(upload) -> str:
    """Raise unless the upload is a PDF, image or Office file of at most 10 MB."""
    _check_size(upload)
    mime = sniff(upload)
    if mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Upload a PDF, JPEG, PNG, DOCX or XLSX file."), code="bad_type"
        )
    return mime
