"""Upload checks shared by every app: the size, and the type judged by the file's
content (its first bytes), never by its name. Each app names the types it accepts
and the message that tells its users what to upload instead."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
OFFICE = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def max_upload_size() -> int:
    return settings.MAX_UPLOAD_SIZE


def sniff(upload) -> str | None:
    """The MIME type guessed from the first bytes; the read position is restored."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(position)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(upload, *, allowed: set[str] | frozenset[str], message) -> str:
    """Raise a ValidationError (``too_large``, ``empty`` or ``bad_type``) unless the
    upload is at most MAX_UPLOAD_SIZE and of an allowed type; return its MIME type."""
    if upload.size > max_upload_size():
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_upload_size()),
            },
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    mime = sniff(upload)
    if mime not in allowed:
        raise ValidationError(message, code="bad_type")
    return mime
