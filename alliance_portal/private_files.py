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


def guess_content_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_response(
    field: FieldFile,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    private: bool = True,
    as_attachment: bool | None = None,
) -> HttpResponse:
    """The file of ``field`` for a user whose access the caller has already checked."""
    if not field:
        raise Http404
    content_type = content_type or guess_content_type(field.name)
    filename = filename or field.name.rsplit("/", 1)[-1]
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
    return response
