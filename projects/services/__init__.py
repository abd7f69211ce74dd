"""Writes of the projects app. Every status change goes through
:func:`application_change_status`, which records who, when and why.

Split by concept: ``calls`` (calls for proposals), ``drafts`` (the editor and
attachments), ``submission`` (checks, numbering), ``screening`` (staff decisions and
the leader's withdrawal).
"""

from .calls import call_change_status, call_save
from .drafts import (
    NotEditable,
    StaleVersionError,
    application_create,
    application_save_section,
    attachment_add,
    attachment_delete,
)
from .screening import (
    WorkflowError,
    application_admit,
    application_reject,
    application_return,
    application_withdraw,
)
from .status import application_change_status
from .submission import SubmissionInvalidError, application_submit

__all__ = [
    "NotEditable",
    "StaleVersionError",
    "SubmissionInvalidError",
    "WorkflowError",
    "application_admit",
    "application_change_status",
    "application_create",
    "application_reject",
    "application_return",
    "application_save_section",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "call_change_status",
    "call_save",
]
