"""Staff screening (return, admit, reject) and the leader's withdrawal. Each is one
transition through :func:`application_change_status` plus the notifications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.notifications import notify
from projects.content import application_content
from projects.models import (
    Application,
    ApplicationSnapshot,
    ApplicationTransition,
    SectionComment,
)
from projects.selectors import leaders_of, staff_to_notify
from projects.texts import lazy_format

from .status import application_change_status

EDITABLE_SECTIONS = tuple(s for s in Application.SECTIONS if s != "organisation")


class WorkflowError(ValidationError):
    """The move is not allowed from the application's current status."""


def _lock_for(application: Application, to_status: str) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.can_move_to(to_status):
        raise WorkflowError(
            _("This application is “%(status)s” and cannot be moved to “%(to)s”."),
            params={
                "status": locked.get_status_display(),
                "to": Application.Status(to_status).label,
            },
        )
    return locked


def _last_transition(application: Application) -> ApplicationTransition:
    return application.transitions.order_by("-created_at", "-pk").first()


def _tell_leaders(application: Application, *, kind: str, title, body="") -> None:
    url = reverse("projects:application_detail", args=[application.pk])
    for user in leaders_of(organisation=application.organisation):
        notify(user=user, kind=kind, title=title, body=body, url=url)


@transaction.atomic
def application_return(
    *,
    application: Application,
    actor,
    section_comments: dict[str, str],
    comment: str = "",
) -> Application:
    """Return for revision: re-open exactly the commented sections, attach the
    comments to them, and freeze the returned content for the later diff."""
    comments = {k: v.strip() for k, v in section_comments.items() if v and v.strip()}
    unknown = set(comments) - set(EDITABLE_SECTIONS)
    if unknown or not comments:
        raise ValidationError(
            _("Comment at least one section that the applicant must revise.")
        )
    locked = _lock_for(application, Application.Status.RETURNED)
    locked.reopened_sections = [s for s in EDITABLE_SECTIONS if s in comments]
    locked.version += 1
    locked.save(update_fields=["reopened_sections", "version", "updated_at"])
    application_change_status(
        application=locked,
        to_status=Application.Status.RETURNED,
        actor=actor,
        comment=comment,
    )
    transition = _last_transition(locked)
    SectionComment.objects.bulk_create(
        SectionComment(
            application=locked,
            transition=transition,
            section=section,
            comment=text,
            author=actor,
        )
        for section, text in comments.items()
    )
    ApplicationSnapshot.objects.create(
        application=locked,
        kind=ApplicationSnapshot.Kind.RETURNED,
        data=application_content(locked),
    )
    _tell_leaders(
        locked,
        kind="application_returned",
        title=lazy_format(
            _("Application %(number)s returned for revision"), number=locked.number
        ),
        body=_("Open it to see the staff comments on the sections to revise."),
    )
    application.status = locked.status
    return locked


@transaction.atomic
def application_admit(
    *, application: Application, actor, comment: str = ""
) -> Application:
    """Admit to expert review (the reviews app takes it from here)."""
    locked = _lock_for(application, Application.Status.ADMITTED)
    application_change_status(
        application=locked,
        to_status=Application.Status.ADMITTED,
        actor=actor,
        comment=comment,
    )
    _tell_leaders(
        locked,
        kind="application_admitted",
        title=lazy_format(
            _("Application %(number)s admitted to expert review"),
            number=locked.number,
        ),
    )
    application.status = locked.status
    return locked


@transaction.atomic
def application_reject(*, application: Application, actor, reason: str) -> Application:
    """Reject at screening; the reason is required and shown to the applicant."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    locked = _lock_for(application, Application.Status.REJECTED)
    locked.decision_reason = reason
    locked.save(update_fields=["decision_reason", "updated_at"])
    application_change_status(
        application=locked,
        to_status=Application.Status.REJECTED,
        actor=actor,
        comment=reason,
    )
    _tell_leaders(
        locked,
        kind="application_rejected",
        title=lazy_format(_("Application %(number)s rejected"), number=locked.number),
        body=reason,
    )
    application.status = locked.status
    return locked


@transaction.atomic
def application_withdraw(
    *, application: Application, actor, comment: str = ""
) -> Application:
    """The leader withdraws before any decision; staff are told if it was in
    screening."""
    locked = _lock_for(application, Application.Status.WITHDRAWN)
    was_submitted = locked.status != Application.Status.DRAFT
    application_change_status(
        application=locked,
        to_status=Application.Status.WITHDRAWN,
        actor=actor,
        comment=comment,
    )
    if was_submitted:
        url = reverse("projects:screen", args=[locked.pk])
        for user in staff_to_notify():
            notify(
                user=user,
                kind="application_withdrawn",
                title=lazy_format(
                    _("Application %(number)s withdrawn"), number=locked.number
                ),
                url=url,
            )
    application.status = locked.status
    return locked
