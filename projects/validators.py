"""Upload checks: size and type by content (never by the file's name)."""

from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads

# MIME type detected from the bytes -> extension stored.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def validate_upload(upload) -> str:
    """Return the MIME type detected from the content, or raise ValidationError."""
    return uploads.check_upload(
        upload,
        allowed=frozenset(ALLOWED_TYPES),
        message=_("Only PDF, JPEG or PNG images, DOCX and XLSX files can be attached."),
    )
