"""Calls for proposals: staff create and edit them and move them along their workflow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from projects.models import Call, CallStatusChange


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
def call_change_status(*, call: Call, to_status: str, actor, comment: str = "") -> Call:
    """Move a call along ``Call.TRANSITIONS`` and write a :class:`CallStatusChange`
    (who, when, from, to, comment); any other move is refused and nothing is written."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if not locked.can_move_to(to_status):
        raise ValidationError(
            _("A call cannot move from “%(from)s” to “%(to)s”."),
            params={
                "from": locked.get_status_display(),
                "to": Call.Status(to_status).label,
            },
        )
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    CallStatusChange.objects.create(
        call=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment.strip(),
    )
    call.status = to_status
    return locked


@transaction.atomic
def call_delete(*, call: Call, actor) -> None:
    """Only a draft call without applications may be deleted."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status != Call.Status.DRAFT or locked.applications.exists():
        raise ValidationError(
            _("Only a draft call without applications can be deleted.")
        )
    locked.delete()
