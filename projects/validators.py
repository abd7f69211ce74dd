"""Upload checks: size and type by content (never by the file's name)."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# MIME type detected from the bytes -> extension stored.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def max_upload_size() -> int:
    return getattr(settings, "MAX_UPLOAD_SIZE", 10 * 1024 * 1024)


def validate_upload(upload) -> str:
    """Return the MIME type detected from the content, or raise ValidationError."""
    if upload.size > max_upload_size():
        raise ValidationError(
            _("The file is larger than %(mb)s MB."),
            params={"mb": max_upload_size() // (1024 * 1024)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            _("Only PDF, JPEG or PNG images, DOCX and XLSX files can be attached."),
            code="bad_type",
        )
    return kind.mime
