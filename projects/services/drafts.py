"""The application editor: creating a draft, saving it section by section under
optimistic locking, and attachments."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects.models import (
    Activity,
    Application,
    Attachment,
    BudgetLine,
    Call,
    ExpectedResult,
    RequiredDocument,
)
from projects.validators import ALLOWED_TYPES, validate_upload

# Section -> the Application fields its form edits.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "general": (
        "title",
        "title_ru",
        "theme",
        "districts",
        "settlements",
        "requested_amount",
    ),
    "problem": ("problem",),
    "goals": ("goals",),
    "target_group": ("target_group", "beneficiaries_direct", "beneficiaries_indirect"),
    "sustainability": ("sustainability", "team", "experience"),
}
# Section -> (row model, row fields) for the table sections.
TABLE_SECTIONS = {
    "activities": (Activity, ("activity", "start", "end", "responsible")),
    "results": (ExpectedResult, ("indicator", "baseline", "target")),
    "budget": (
        BudgetLine,
        ("category", "item", "unit", "quantity", "unit_cost", "cofunding"),
    ),
}


class StaleVersionError(Exception):
    """The draft was saved elsewhere (another tab) since this copy was loaded."""

    def __init__(self, application: Application):
        super().__init__("stale version")
        self.application = application


class NotEditable(PermissionDenied):
    """The application (or this section of it) is not open for editing."""


@transaction.atomic
def application_create(*, call: Call, organisation, actor) -> Application:
    """A new draft of ``organisation`` for an open ``call``."""
    locked_call = Call.objects.select_for_update().get(pk=call.pk)
    if not locked_call.accepts_submissions():
        raise ValidationError(_("This call is not accepting applications."))
    return Application.objects.create(
        call=locked_call, organisation=organisation, created_by=actor
    )


def _lock_editable(application: Application, section: str) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.section_is_editable(section):
        raise NotEditable
    return locked


@transaction.atomic
def application_save_section(
    *,
    application: Application,
    section: str,
    version: int,
    actor,
    fields: dict | None = None,
    rows: list[dict] | None = None,
) -> Application:
    """Save one section of a draft and bump ``version``.

    Optimistic locking: ``version`` is the one the editor loaded; if the row has
    moved on (saved from another tab), :class:`StaleVersionError` is raised and nothing is
    written. Table sections replace all their rows at once. Budget lines get
    ``grant_amount = quantity × unit cost − co-funding``.
    """
    locked = _lock_editable(application, section)
    if locked.version != version:
        raise StaleVersionError(locked)
    update = ["version", "updated_at"]
    if section in SECTION_FIELDS:
        for name, value in (fields or {}).items():
            if name not in SECTION_FIELDS[section]:
                continue
            if name == "districts":
                locked.districts.set(value)
            else:
                setattr(locked, name, value)
                update.append(name)
    elif section in TABLE_SECTIONS:
        model, allowed = TABLE_SECTIONS[section]
        model.objects.filter(application=locked).delete()
        objs = []
        for order, row in enumerate(rows or []):
            values = {k: v for k, v in row.items() if k in allowed}
            if model is BudgetLine:
                cofunding = values.get("cofunding") or Decimal("0")
                cost = (values["quantity"] * values["unit_cost"]).quantize(
                    Decimal("0.01")
                )
                values["cofunding"] = cofunding
                values["grant_amount"] = cost - cofunding
            objs.append(model(application=locked, order=order, **values))
        for obj in objs:
            obj.full_clean(exclude=["application"])
        model.objects.bulk_create(objs)
    else:
        raise NotEditable
    locked.version += 1
    locked.save(update_fields=update)
    return locked


@transaction.atomic
def attachment_add(
    *,
    application: Application,
    upload,
    actor,
    required_document: RequiredDocument | None = None,
) -> Attachment:
    """Attach a file after checking its size and its type by content."""
    locked = _lock_editable(application, "attachments")
    if required_document and required_document.call_id != locked.call_id:
        raise ValidationError(_("This document kind belongs to another call."))
    mime = validate_upload(upload)
    attachment = Attachment(
        application=locked,
        required_document=required_document,
        original_name=(upload.name or "file")[-255:],
        content_type=mime,
        size=upload.size,
        uploaded_by=actor,
    )
    # The stored name takes its extension from the detected type, not the upload.
    attachment.file.save(f"file.{ALLOWED_TYPES[mime]}", upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor) -> None:
    _lock_editable(attachment.application, "attachments")
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))
