"""Upload checks shared by every app: the size, and the type judged by the file's
content (its first bytes), never by its name. Each app names the types it accepts
and the message that tells its users what to upload instead.

A checked upload also loses its name: :func:`check_upload` renames it to a random name
with the extension of the detected type (the uploader's name stays available as
``upload.original_name`` for a page that wants to show it), and every ``upload_to`` of
the project goes through :func:`generated_name`, so no stored file carries a name or an
extension its uploader chose."""

from __future__ import annotations

import re
import uuid

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG, PNG, WEBP, GIF = "image/jpeg", "image/png", "image/webp", "image/gif"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = {JPEG, PNG, WEBP, GIF}
OFFICE = {DOCX, XLSX}
# Allow-lists by purpose.
PHOTOS = frozenset({JPEG, PNG, WEBP})
DOCUMENTS = frozenset({PDF, *PHOTOS, *OFFICE})

EXTENSIONS = {
    PDF: "pdf",
    JPEG: "jpg",
    PNG: "png",
    WEBP: "webp",
    GIF: "gif",
    DOCX: "docx",
    XLSX: "xlsx",
}
# Markup a browser or a viewer would run, found inside a file that claims to be an
# image or a PDF: a polyglot. Office files are compressed archives, so their text never
# shows in the raw bytes.
_ACTIVE_MARKUP = re.compile(
    rb"<\s*(script|html|svg|iframe|object|embed|body)\b|<!doctype\s+html|javascript:",
    re.IGNORECASE,
)
_SCANNED_TYPES = frozenset({PDF, *IMAGES})
_CHUNK = 64 * 1024


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


def carries_markup(upload) -> bool:
    """True when the bytes hold HTML, SVG or script anywhere (chunks overlap so a tag
    split across two reads is still found)."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(_CHUNK):
            if _ACTIVE_MARKUP.search(tail + chunk):
                return True
            tail = chunk[-32:]
    finally:
        upload.seek(position)
    return False


def generated_name(filename: str) -> str:
    """A random stored name that keeps only a known extension of ``filename``."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in set(EXTENSIONS.values()):
        ext = "bin"
    return f"{uuid.uuid4().hex}.{ext}"


def check_upload(upload, *, allowed: set[str] | frozenset[str], message) -> str:
    """Raise a ValidationError (``too_large``, ``empty`` or ``bad_type``) unless the
    upload is at most MAX_UPLOAD_SIZE and of an allowed type; return its MIME type and
    give the upload a generated name with that type's extension."""
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
    if mime in _SCANNED_TYPES and carries_markup(upload):
        raise ValidationError(
            _("This file carries web page code inside it and cannot be accepted."),
            code="active_content",
        )
    if not hasattr(upload, "original_name"):
        upload.original_name = upload.name
    upload.name = f"{uuid.uuid4().hex}.{EXTENSIONS.get(mime, 'bin')}"
    return mime
