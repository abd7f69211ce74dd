"""Pieces every grants service shares: money audit rows, status history, recipients."""

from __future__ import annotations

from django.urls import reverse

from alliance_portal.figures import figures_changed_on_commit
from alliance_portal.notifications import notify
from grants.models import Grant, GrantStatusChange, MoneyAuditEntry, Tranche
from grants.models import TrancheStatusChange as TrancheChange


def audit(*, grant: Grant, actor, obj, field: str, before, after) -> None:
    """Write one money audit row; a field that did not change writes nothing."""
    before_s = "" if before is None else str(before)
    after_s = "" if after is None else str(after)
    if before_s == after_s:
        return
    figures_changed_on_commit()
    MoneyAuditEntry.objects.create(
        grant=grant,
        actor=actor,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        object_label=str(obj)[:300],
        field=field,
        before=before_s[:300],
        after=after_s[:300],
    )


def grant_move(*, grant: Grant, to_status: str, actor, comment: str = "") -> None:
    """Move a grant (already locked by the caller) and write its history row."""
    from_status = grant.status
    if from_status == to_status:
        return
    if not grant.can_move_to(to_status):
        raise ValueError(f"grant {grant} cannot move {from_status} → {to_status}")
    grant.status = to_status
    grant.save(update_fields=["status", "updated_at"])
    figures_changed_on_commit()
    GrantStatusChange.objects.create(
        grant=grant,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )


def tranche_move(
    *, tranche: Tranche, to_status: str, actor, comment: str = "", extra=()
) -> None:
    """Move a tranche (locked by the caller), save ``extra`` fields too, write the
    history row and the money audit row for the status."""
    from_status = tranche.status
    tranche.status = to_status
    tranche.save(update_fields=["status", "updated_at", *extra])
    TrancheChange.objects.create(
        tranche=tranche,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        comment=comment,
    )
    audit(
        grant=tranche.grant,
        actor=actor,
        obj=tranche,
        field="status",
        before=from_status,
        after=to_status,
    )


def grant_url(grant: Grant) -> str:
    return reverse("grants:detail", args=[grant.pk])


def notify_all(
    users, *, kind: str, title, body="", url: str = "", params: dict | None = None
) -> None:
    for user in users:
        notify(user=user, kind=kind, title=title, body=body, url=url, params=params)
