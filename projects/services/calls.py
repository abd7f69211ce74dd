"""Calls for proposals: staff create and edit them and move them along their workflow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects.models import Call


@transaction.atomic
def call_save(*, form, documents) -> Call:
    """Save a validated call form and its required-documents formset together:
    either both are stored or neither."""
    call = form.save(commit=False)
    call.full_clean()
    call.save()
    form.save_m2m()
    documents.instance = call
    documents.save()
    return call


@transaction.atomic
def call_change_status(*, call: Call, to_status: str, actor) -> Call:
    """Move a call along ``Call.TRANSITIONS``; anything else is refused."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.can_move_to(to_status):
        raise ValidationError(
            _("A call cannot move from “%(from)s” to “%(to)s”."),
            params={
                "from": locked.get_status_display(),
                "to": Call.Status(to_status).label,
            },
        )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    call.status = to_status
    return locked
