"""Reads of the memoranda app, always scoped to the asker (out of scope → 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliance_portal.permissions import is_ngo_leader, is_oversight
from members.selectors import organisations_of

from .models import (
    Commitment,
    CommitmentEvidence,
    CommitmentNote,
    Memorandum,
    MemorandumParty,
)


def memoranda_visible_to(*, user) -> QuerySet[Memorandum]:
    """Staff, officials and fund officers read every memorandum; everyone else those
    in force, and an NGO leader also the non-draft ones their organisation signed."""
    qs = Memorandum.objects.all()
    if is_oversight(user):
        return qs
    scope = Q(pk__in=Memorandum.objects.in_force().values("pk"))
    if is_ngo_leader(user):
        scope |= Q(parties__organisation__in=organisations_of(user=user)) & ~Q(
            status=Memorandum.Status.DRAFT
        )
    return qs.filter(scope).distinct()


def _with_progress(qs: QuerySet[Memorandum], on: datetime.date) -> QuerySet:
    open_statuses = [Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
    return qs.annotate(
        commitments_total=Count(
            "commitments",
            filter=~Q(commitments__status=Commitment.Status.DROPPED),
            distinct=True,
        ),
        commitments_done=Count(
            "commitments",
            filter=Q(commitments__status=Commitment.Status.DONE),
            distinct=True,
        ),
        commitments_overdue=Count(
            "commitments",
            filter=Q(commitments__status__in=open_statuses, commitments__due_on__lt=on),
            distinct=True,
        ),
    )


def memorandum_list(
    *,
    user,
    kind: str = "",
    year: int | None = None,
    status: str = "",
) -> QuerySet[Memorandum]:
    """The list page: visible memoranda with their parties and commitment progress."""
    on = timezone.localdate()
    qs = memoranda_visible_to(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(
            Q(signed_on__year=year) | Q(signed_on__isnull=True, valid_from__year=year)
        )
    if status:
        qs = qs.with_status(status, on)
    parties = MemorandumParty.objects.select_related("organisation")
    return (
        _with_progress(qs, on)
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-valid_from", "-number", "-pk")
    )


def memorandum_years(*, user) -> list[int]:
    """Years that have memoranda the user may see, newest first (for the filter)."""
    dates = memoranda_visible_to(user=user).dates("valid_from", "year", order="DESC")
    return [d.year for d in dates]


def memorandum_detail(*, user, pk: int) -> Memorandum:
    """One memorandum with everything its page and its PDF show."""
    on = timezone.localdate()
    commitments = Commitment.objects.select_related("responsible").prefetch_related(
        Prefetch(
            "notes",
            queryset=CommitmentNote.objects.select_related("author"),
        ),
        Prefetch("evidence", queryset=CommitmentEvidence.objects.all()),
    )
    qs = _with_progress(memoranda_visible_to(user=user), on).prefetch_related(
        Prefetch(
            "parties", queryset=MemorandumParty.objects.select_related("organisation")
        ),
        Prefetch("commitments", queryset=commitments),
        "status_changes__actor",
    )
    return get_object_or_404(qs, pk=pk)


def memorandum_for_document(*, pk: int) -> Memorandum:
    """The memorandum a PDF job renders (access was checked when it was asked for)."""
    return Memorandum.objects.prefetch_related(
        Prefetch(
            "parties", queryset=MemorandumParty.objects.select_related("organisation")
        ),
        Prefetch(
            "commitments",
            queryset=Commitment.objects.select_related("responsible"),
        ),
    ).get(pk=pk)


def commitment_visible_to(*, user, pk: int) -> Commitment:
    return get_object_or_404(
        Commitment.objects.select_related("memorandum", "responsible"),
        pk=pk,
        memorandum__in=memoranda_visible_to(user=user),
    )


def evidence_visible_to(*, user, pk: int) -> CommitmentEvidence:
    """Evidence is private: staff, officials, fund officers and the leaders of the
    memorandum's parties."""
    qs = CommitmentEvidence.objects.select_related("commitment__memorandum")
    if not is_oversight(user):
        if not is_ngo_leader(user):
            qs = qs.none()
        else:
            qs = qs.filter(
                commitment__memorandum__parties__organisation__in=organisations_of(
                    user=user
                ),
                commitment__memorandum__in=memoranda_visible_to(user=user),
            )
    return get_object_or_404(qs.distinct(), pk=pk)


@dataclass(frozen=True)
class CommitmentsPanel:
    overdue_count: int
    due_soon_count: int
    items: list[Commitment]


def commitments_panel(*, user, days: int = 30, limit: int = 6) -> CommitmentsPanel:
    """Home panel for staff and officials: overdue and soon-due open commitments of
    memoranda that are not drafts."""
    on = timezone.localdate()
    base = Commitment.objects.filter(
        memorandum__in=memoranda_visible_to(user=user)
    ).exclude(memorandum__status=Memorandum.Status.DRAFT)
    counts = base.open().aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=on)),
        due_soon=Count(
            "pk",
            filter=Q(due_on__gte=on, due_on__lte=on + datetime.timedelta(days=days)),
        ),
    )
    items = list(
        base.open()
        .filter(due_on__lte=on + datetime.timedelta(days=days))
        .select_related("memorandum", "responsible")
        .order_by("due_on", "pk")[:limit]
    )
    return CommitmentsPanel(
        overdue_count=counts["overdue"],
        due_soon_count=counts["due_soon"],
        items=items,
    )


def memoranda_in_force_count() -> int:
    return Memorandum.objects.in_force().count()
