"""Upload checks by content, never by the file name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads

PDF = (uploads.PDF,)
IMAGE = ("image/jpeg", "image/png", "image/webp")


def _check(upload, allowed: tuple[str, ...], message) -> None:
    if upload is not None:
        uploads.check_upload(upload, allowed=frozenset(allowed), message=message)


def validate_pdf(upload) -> None:
    _check(upload, PDF, _("The file must be a PDF document."))


def validate_image_or_pdf(upload) -> None:
    _check(upload, PDF + IMAGE, _("The file must be an image (JPEG, PNG) or a PDF."))


def validate_image(upload) -> None:
    _check(upload, IMAGE, _("The file must be an image (JPEG, PNG)."))
