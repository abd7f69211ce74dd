"""Upload checks by content, never by the file name."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF = ("application/pdf",)
IMAGE = ("image/jpeg", "image/png", "image/webp")


def _check(upload, allowed: tuple[str, ...], message) -> None:
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise ValidationError(message, code="bad_type")


def validate_pdf(upload) -> None:
    _check(upload, PDF, _("The file must be a PDF document."))


def validate_image_or_pdf(upload) -> None:
    _check(upload, PDF + IMAGE, _("The file must be an image (JPEG, PNG) or a PDF."))


def validate_image(upload) -> None:
    _check(upload, IMAGE, _("The file must be an image (JPEG, PNG)."))
