"""Views of the projects app, thin: a form, one service or selector, a response."""

from .calls import (
    call_create,
    call_detail,
    call_edit,
    call_list,
    call_manage_list,
    call_status,
)
from .editor import (
    application_apply,
    application_detail,
    application_pdf,
    application_submit,
    application_withdraw,
    attachment_delete,
    attachment_download,
    attachment_upload,
    my_applications,
    section_edit,
)
from .screening import (
    screen,
    screen_admit,
    screen_reject,
    screen_return,
    screening_export,
    screening_list,
)

__all__ = [
    "application_apply",
    "application_detail",
    "application_pdf",
    "application_submit",
    "application_withdraw",
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "call_create",
    "call_detail",
    "call_edit",
    "call_list",
    "call_manage_list",
    "call_status",
    "my_applications",
    "screen",
    "screen_admit",
    "screen_reject",
    "screen_return",
    "screening_export",
    "screening_list",
    "section_edit",
]
