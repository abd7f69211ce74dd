"""Writes of the projects app. Every status change goes through
:func:`application_change_status`, which records who, when and why."""

from django.db import transaction

from alliance_portal.figures import figures_changed_on_commit
from projects.models import Application, ApplicationTransition


@transaction.atomic
def application_change_status(
    *, application: Application, to_status: str, actor, comment: str = ""
) -> Application:
    """Move ``application`` to ``to_status`` and write the history row.

    Guards for which moves are allowed belong to the caller's workflow (screening here,
    the council in reviews, contracts in grants); this function only locks, moves and
    records. The row is re-read under a lock so two concurrent moves serialise.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    ApplicationTransition.objects.create(
        application=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    application.status = to_status
    figures_changed_on_commit()
    return locked
