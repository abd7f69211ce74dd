"""Calls for proposals: staff create and edit them and move them along their workflow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alliance_portal.templatetags.portal import tenge
from projects.models import Call, CallStatusChange
from resources.services import news_announce


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
    if to_status == Call.Status.OPEN:
        _announce(locked)
    return locked


def _announce(call: Call) -> None:
    """The opened call appears in the alliance's news (once, even if reopened)."""
    closes = timezone.localtime(call.closes_at).strftime("%d.%m.%Y %H:%M")
    # Each text is formatted in its own language, whoever opened the call.
    with translation.override("kk"):
        envelope_kk = tenge(call.envelope)
    with translation.override("ru"):
        envelope_ru = tenge(call.envelope)
    news_announce(
        source_key=f"call:{call.pk}",
        title_kk=f"Конкурс ашылды: {call.title_kk}",
        title_ru=f"Открыт конкурс: {call.title_ru}",
        body_kk=(
            f"«{call.title_kk}» конкурсы ашылды. Конкурс қоры: {envelope_kk}. "
            f"Өтінім қабылдаудың соңғы мерзімі: {closes}."
        ),
        body_ru=(
            f"Открыт конкурс «{call.title_ru}». Бюджет конкурса: {envelope_ru}. "
            f"Срок подачи заявок: {closes}."
        ),
        link=reverse("projects:call_detail", args=[call.pk]),
    )


@transaction.atomic
def call_delete(*, call: Call, actor) -> None:
    """Only a draft call without applications may be deleted."""
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status != Call.Status.DRAFT or locked.applications.exists():
        raise ValidationError(
            _("Only a draft call without applications can be deleted.")
        )
    locked.delete()
