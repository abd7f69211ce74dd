"""One way to hand a stored file to a browser: inert, private and cheap for the web worker.

Every view that serves an uploaded or generated file checks access first and then calls
:func:`file_response`. The response is inert whatever the file holds (``nosniff`` and a
sandboxing CSP, an attachment unless it is an image or a PDF), not cached by shared
caches when private, and, when ``PRIVATE_FILES_ACCEL_PREFIX`` is set (production behind
nginx), handed to nginx with ``X-Accel-Redirect`` so a large file does not hold a worker.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

# Shown in the browser; everything else downloads.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
# Types a file may be served as. Anything else (text/html, image/svg+xml, a script)
# goes out as application/octet-stream, whatever name the file was stored under.
SERVABLE_TYPES = INLINE_TYPES | {
    "image/gif",
    "application/zip",
    "text/csv",
    "text/plain",
    "text/calendar",
    "application/json",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OCTET_STREAM = "application/octet-stream"


def guess_content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or OCTET_STREAM


def _checked_type(field: FieldFile) -> str:
    """The type by the stored name when it is a servable one, else by the content
    (files stored before names were generated may carry any extension)."""
    by_name = guess_content_type(field.name)
    if by_name in SERVABLE_TYPES:
        return by_name
    import filetype

    with field.open("rb") as handle:
        kind = filetype.guess(handle.read(8192))
    by_content = kind.mime if kind else None
    return by_content if by_content in SERVABLE_TYPES else OCTET_STREAM


def _matching_filename(filename: str, content_type: str) -> str:
    """``filename`` with an extension that agrees with the served type, so that a
    download saved to disk does not open as something else (``x.html`` → ``x.bin``)."""
    if guess_content_type(filename) == content_type:
        return filename
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    extension = mimetypes.guess_extension(content_type) or ".bin"
    if content_type == OCTET_STREAM:
        extension = ".bin"
    return f"{stem}{extension}"


def file_response(
    field: FieldFile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    private: bool = True,
    as_attachment: bool | None = None,
    request=None,
) -> HttpResponse:
    """The file of ``field`` for a user whose access the caller has already checked.

    With ``request``, a private file's download is logged (who, which file) for the
    administrators."""
    if not field:
        raise Http404
    content_type = content_type or _checked_type(field)
    if content_type not in SERVABLE_TYPES:
        content_type = OCTET_STREAM
    filename = _matching_filename(
        filename or field.name.rsplit("/", 1)[-1], content_type
    )
    if as_attachment is None:
        as_attachment = content_type not in INLINE_TYPES
    prefix = getattr(settings, "PRIVATE_FILES_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field.name)
    else:
        response = FileResponse(field.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment, filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    if private:
        response["Cache-Control"] = "private, no-store"
        if request is not None and request.user.is_authenticated:
            from .security import record_download

            record_download(request, what=f"{field.name} ({filename})")
    return response
