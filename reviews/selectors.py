"""Reads of the expert review, scoped to the user asking."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from alliance_portal.permissions import is_expert, is_official, is_staff_member
from members.models import Affiliation
from projects.models import Application, Attachment, Call
from projects.selectors import LONG_TEXTS

from . import scoring
from .models import (
    Assignment,
    CallExpert,
    CallReviewSettings,
    ConflictDeclaration,
    ConflictStatement,
    CouncilDecision,
    CouncilSession,
    ExpertProfile,
    Review,
)


def call_settings(call: Call) -> CallReviewSettings:
    """The call's review settings; unsaved defaults when staff have set none."""
    try:
        return call.review_settings
    except CallReviewSettings.DoesNotExist:
        return CallReviewSettings(call=call)


def call_council(call: Call) -> QuerySet[ExpertProfile]:
    """The council of ``call``: the experts on its panel who are active for this
    call and active at all. Assignment (by hand, automatic, reassignment), the
    quorum and the "members present" choices all read this one selector. An empty
    panel is an empty council (see :class:`reviews.models.CallExpert`)."""
    return ExpertProfile.objects.filter(
        active=True, panels__call=call, panels__active=True
    ).select_related("user", "organisation")


def call_panel(*, call: Call) -> list[CallExpert]:
    """Every panel row of ``call`` (active or not), with the member's number of
    active assignments on this call (``load``); two queries. The load is counted
    from the call's applications, never through every assignment of the experts
    (one of them may have thousands in other calls)."""
    loads = dict(
        Assignment.objects.filter(
            call=call,
            status__in=[
                Assignment.Status.ASSIGNED,
                Assignment.Status.SUBMITTED,
                Assignment.Status.REOPENED,
            ],
        )
        .values("expert_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("expert_id", "n")
    )
    panel = list(
        CallExpert.objects.filter(call=call)
        .select_related("expert__user", "expert__organisation")
        .order_by("pk")
    )
    for member in panel:
        member.load = loads.get(member.expert_id, 0)
    return panel


def experts_addable_to_panel(*, call: Call) -> QuerySet[ExpertProfile]:
    """Active experts not yet on the panel of ``call``."""
    return (
        ExpertProfile.objects.filter(active=True)
        .exclude(panels__call=call)
        .select_related("user")
    )


def expert_conflict_organisation_ids(*, expert: ExpertProfile, call: Call) -> set[int]:
    """Organisations the expert may not review for ``call``: their own, any with an
    approved affiliation, and any declared conflict."""
    ids = set(
        ConflictDeclaration.objects.filter(expert=expert, call=call).values_list(
            "organisation_id", flat=True
        )
    )
    ids |= set(
        Affiliation.objects.filter(
            user_id=expert.user_id, status=Affiliation.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )
    if expert.organisation_id:
        ids.add(expert.organisation_id)
    return ids


def conflict_pairs_for_call(
    *, call: Call, experts: list[ExpertProfile]
) -> set[tuple[int, int]]:
    """(expert id, application id) pairs of ``call`` that must never be assigned."""
    orgs_of: dict[int, set[int]] = {e.pk: set() for e in experts}
    for e in experts:
        if e.organisation_id:
            orgs_of[e.pk].add(e.organisation_id)
    by_user = {e.user_id: e.pk for e in experts}
    for user_id, org_id in Affiliation.objects.filter(
        user_id__in=by_user, status=Affiliation.Status.APPROVED
    ).values_list("user_id", "organisation_id"):
        orgs_of[by_user[user_id]].add(org_id)
    for expert_id, org_id in ConflictDeclaration.objects.filter(
        call=call, expert_id__in=orgs_of
    ).values_list("expert_id", "organisation_id"):
        orgs_of[expert_id].add(org_id)
    pairs = set()
    for app_id, org_id in Application.objects.filter(call=call).values_list(
        "pk", "organisation_id"
    ):
        for expert_id, orgs in orgs_of.items():
            if org_id in orgs:
                pairs.add((expert_id, app_id))
    return pairs


def expert_profile_of(user) -> ExpertProfile:
    profile = ExpertProfile.objects.filter(user=user, active=True).first()
    if profile is None:
        raise Http404
    return profile


def expert_has_declared(*, expert: ExpertProfile, call: Call) -> bool:
    return ConflictStatement.objects.filter(expert=expert, call=call).exists()


def expert_is_conflicted(*, assignment: Assignment) -> bool:
    """Whether the assigned expert may no longer see the application: a conflict
    declared, or an affiliation approved, after the assignment was made."""
    application = assignment.application
    return application.organisation_id in expert_conflict_organisation_ids(
        expert=assignment.expert, call=application.call
    )


@dataclass(frozen=True)
class BudgetTotals:
    grant: Decimal
    cofunding: Decimal
    total: Decimal


@dataclass(frozen=True)
class ApplicationForReview:
    """Everything an expert reads while scoring, loaded in a fixed number of queries."""

    application: Application
    districts: list
    activities: list
    results: list
    budget_lines: list
    budget_totals: BudgetTotals
    attachments: list


def application_for_review(*, assignment: Assignment) -> ApplicationForReview:
    """The whole application of ``assignment`` (every section of the editor), for the
    assigned expert whose access the caller has checked."""
    application = (
        Application.objects.select_related("call", "organisation", "theme")
        .prefetch_related(
            "districts",
            "activities",
            "results",
            "budget_lines",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("required_document"),
            ),
        )
        .get(pk=assignment.application_id)
    )
    lines = list(application.budget_lines.all())
    grant = sum((line.grant_amount for line in lines), Decimal(0))
    cofunding = sum((line.cofunding for line in lines), Decimal(0))
    return ApplicationForReview(
        application=application,
        districts=list(application.districts.all()),
        activities=list(application.activities.all()),
        results=list(application.results.all()),
        budget_lines=lines,
        budget_totals=BudgetTotals(grant, cofunding, grant + cofunding),
        attachments=list(application.attachments.all()),
    )


def assignments_visible_to(*, user) -> QuerySet[Assignment]:
    """Staff: all; an expert: their own active assignments; others: none."""
    qs = Assignment.objects.select_related(
        "application__call", "application__organisation", "expert__user"
    )
    if is_staff_member(user):
        return qs
    if is_expert(user):
        return qs.filter(
            expert__user=user,
            status__in=[
                Assignment.Status.ASSIGNED,
                Assignment.Status.SUBMITTED,
                Assignment.Status.REOPENED,
            ],
        )
    return qs.none()


def expert_assignments(*, user) -> tuple[QuerySet[Assignment], list[int]]:
    """The expert's active assignments (what :func:`assignments_visible_to` gives
    an expert) and the calls they have declared conflicts for. Filtered on the
    expert's id, so the database walks the expert's index entries (2,500 at ten
    years) instead of every application of every declared call; long texts are
    left out of the joined applications."""
    experts = list(ExpertProfile.objects.filter(user=user).values_list("pk", flat=True))
    declared = list(
        ConflictStatement.objects.filter(expert_id__in=experts).values_list(
            "call_id", flat=True
        )
    )
    assignments = (
        Assignment.objects.filter(
            expert_id__in=experts,
            status__in=[
                Assignment.Status.ASSIGNED,
                Assignment.Status.SUBMITTED,
                Assignment.Status.REOPENED,
            ],
        )
        .select_related("application__call", "application__organisation")
        .defer(*(f"application__{field}" for field in LONG_TEXTS))
    )
    return assignments, declared


def reviews_visible_to(*, user) -> QuerySet[Review]:
    qs = Review.objects.select_related(
        "assignment__application__call", "assignment__expert__user"
    )
    if is_staff_member(user):
        return qs
    if is_expert(user):
        return qs.filter(assignment__expert__user=user)
    return qs.none()


def _applications_counted(statuses) -> Coalesce:
    # A correlated count on the (call, status) index: a call is a few hundred
    # rows, where a join over every application of every call grows with the years.
    return Coalesce(
        Subquery(
            Application.objects.filter(call=OuterRef("pk"), status__in=statuses)
            .order_by()
            .values("call")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def calls_for_staff() -> QuerySet[Call]:
    return (
        Call.objects.annotate(
            admitted=_applications_counted([Application.Status.ADMITTED]),
            decided=_applications_counted(
                [Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED]
            ),
        )
        .filter(Q(admitted__gt=0) | Q(decided__gt=0))
        .order_by("-opens_at", "pk")
    )


def decided_calls() -> QuerySet[Call]:
    """Calls whose council has recorded decisions: officials may read them."""
    return (
        Call.objects.filter(council_sessions__decided_at__isnull=False)
        .distinct()
        .order_by("-opens_at", "pk")
    )


def calls_with_results_visible_to(*, user) -> QuerySet[Call]:
    if is_staff_member(user):
        return Call.objects.order_by("-opens_at", "pk")
    if is_official(user):
        return decided_calls()
    return Call.objects.none()


# --- aggregation -----------------------------------------------------------------------


def application_aggregate(*, application: Application) -> scoring.Aggregate:
    settings_obj = call_settings(application.call)
    totals = list(
        Review.objects.filter(
            assignment__application=application,
            assignment__status=Assignment.Status.SUBMITTED,
            total__isnull=False,
        ).values_list("total", flat=True)
    )
    return scoring.aggregate(
        totals,
        margin=settings_obj.disagreement_margin,
        required=settings_obj.min_reviews,
    )


@dataclass(frozen=True)
class RankingRow:
    position: int
    application: Application
    totals: tuple[Decimal, ...]
    aggregate: scoring.Aggregate
    running_total: Decimal
    within_envelope: bool
    above_threshold: bool
    decision: CouncilDecision | None


@dataclass(frozen=True)
class _Ranked:
    """A ranked application before its rows are loaded: what ordering needs."""

    position: int
    application_id: int
    status: str
    totals: tuple[Decimal, ...]
    aggregate: scoring.Aggregate
    running_total: Decimal
    within_envelope: bool
    above_threshold: bool
    decision_id: int | None


_RANKED_STATUSES = (
    Application.Status.ADMITTED,
    Application.Status.RECOMMENDED,
    Application.Status.NOT_RECOMMENDED,
)


def ranked_entries(call: Call) -> list[_Ranked]:
    """The whole call ranked from plain values: the running total needs every
    row, but no application, organisation or decision is built as a model here.
    Three queries whatever the size."""
    settings_obj = call_settings(call)
    applications = list(
        Application.objects.filter(call=call, status__in=_RANKED_STATUSES)
        .order_by()
        .values_list("pk", "status", "requested_amount")
    )
    totals: dict[int, list[Decimal]] = {pk: [] for pk, _s, _r in applications}
    # Each submitted assignment's total through the review's unique index: a join
    # made PostgreSQL hash every review of every call (ten years: 60,000 rows for
    # the 2,000 of this call).
    review_total = Review.objects.filter(assignment=OuterRef("pk")).values("total")
    for app_id, total in (
        Assignment.objects.filter(call=call, status=Assignment.Status.SUBMITTED)
        .order_by()
        .annotate(total=Subquery(review_total[:1]))
        .values_list("application_id", "total")
    ):
        if total is not None and app_id in totals:
            totals[app_id].append(total)
    # The latest decision of a closed session counts (sessions in date order).
    decisions: dict[int, tuple[int, str, Decimal | None]] = {}
    for app_id, pk, decision, amount in (
        CouncilDecision.objects.filter(
            session__call=call, session__decided_at__isnull=False
        )
        .order_by("session__held_on", "pk")
        .values_list("application_id", "pk", "decision", "amount")
    ):
        decisions[app_id] = (pk, decision, amount)
    aggregates = {
        pk: scoring.aggregate(
            t,
            margin=settings_obj.disagreement_margin,
            required=settings_obj.min_reviews,
        )
        for pk, t in totals.items()
    }
    status = {pk: s for pk, s, _r in applications}
    ranked = scoring.rank(
        [
            (pk, aggregates[pk].mean, _counted_amount(requested, decisions.get(pk)))
            for pk, _s, requested in applications
        ],
        envelope=call.envelope,
    )
    threshold = settings_obj.recommend_threshold
    return [
        _Ranked(
            position=i,
            application_id=r.key,
            status=status[r.key],
            totals=tuple(sorted(totals[r.key], reverse=True)),
            aggregate=aggregates[r.key],
            running_total=r.running_total,
            within_envelope=r.within_envelope,
            above_threshold=r.mean is not None and r.mean >= threshold,
            decision_id=decisions[r.key][0] if r.key in decisions else None,
        )
        for i, r in enumerate(ranked, start=1)
    ]


def _rows(ranked: list[_Ranked]) -> list[RankingRow]:
    """Ranked entries with their applications and decisions loaded (two queries)."""
    applications = Application.objects.select_related("organisation").defer(*LONG_TEXTS)
    by_id = applications.in_bulk([r.application_id for r in ranked])
    decisions = CouncilDecision.objects.in_bulk(
        [r.decision_id for r in ranked if r.decision_id]
    )
    return [
        RankingRow(
            position=r.position,
            application=by_id[r.application_id],
            totals=r.totals,
            aggregate=r.aggregate,
            running_total=r.running_total,
            within_envelope=r.within_envelope,
            above_threshold=r.above_threshold,
            decision=decisions.get(r.decision_id),
        )
        for r in ranked
    ]


def call_ranking(*, call: Call) -> list[RankingRow]:
    """Applications under review or decided, best mean first, with the running total
    of amounts against the envelope (requested, or as decided). Five queries
    whatever the size."""
    return _rows(ranked_entries(call))


def call_ranking_page(
    *, call: Call, page_number, per_page: int, ranked: list | None = None
) -> Page:
    """One page of the call's ranking: ranked whole from plain values (or
    ``ranked``, the :func:`ranked_entries` a view already has), only the page's
    rows loaded."""
    if ranked is None:
        ranked = ranked_entries(call)
    page = Paginator(ranked, per_page).get_page(page_number)
    page.object_list = _rows(list(page.object_list))
    return page


def applications_awaiting_decision(
    *, call: Call, ranked: list | None = None
) -> list[Application]:
    """The call's admitted applications in ranking order: what a council session
    still has to decide."""
    if ranked is None:
        ranked = ranked_entries(call)
    pending = [
        r.application_id for r in ranked if r.status == Application.Status.ADMITTED
    ]
    by_id = Application.objects.only(
        "pk", "number", "title", "requested_amount", "status", "call_id"
    ).in_bulk(pending)
    return [by_id[pk] for pk in pending]


def _counted_amount(requested: Decimal, decision) -> Decimal:
    """What the application draws on the envelope: the recommended amount once
    decided, nothing if not recommended, the requested amount until then.
    ``decision`` is (pk, decision code, amount) or None."""
    if decision is None or decision[1] == CouncilDecision.Decision.DEFER:
        return requested
    recommended = decision[1] in (
        CouncilDecision.Decision.RECOMMEND,
        CouncilDecision.Decision.RECOMMEND_WITH_CONDITIONS,
    )
    return decision[2] if recommended else Decimal(0)


# --- applicant feedback ----------------------------------------------------------------


def applications_of_leader(*, user) -> QuerySet[Application]:
    # The organisations as values, not a subquery: both sides of the OR then use
    # an index (a subquery made PostgreSQL scan every application).
    org_ids = list(
        Affiliation.objects.filter(
            user=user, status=Affiliation.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )
    return Application.objects.filter(
        Q(created_by=user) | Q(organisation_id__in=org_ids)
    )


def feedback_application_for(*, user, pk: int) -> Application:
    """The application whose decision ``user`` may read: staff any, a leader their own
    organisation's; anything else is a 404."""
    if is_staff_member(user):
        qs = Application.objects.all()
    else:
        qs = applications_of_leader(user=user)
    app = qs.select_related("call", "organisation").filter(pk=pk).first()
    if app is None:
        raise Http404
    return app


def application_decision(*, application: Application) -> CouncilDecision | None:
    return (
        CouncilDecision.objects.filter(
            application=application, session__decided_at__isnull=False
        )
        .select_related("session")
        .order_by("-session__held_on", "-pk")
        .first()
    )


@dataclass(frozen=True)
class AnonymousReview:
    label_number: int
    recommendation: str
    comment: str
    comments: tuple[tuple[str, str], ...]  # (criterion name, comment)
    total: Decimal | None


def anonymised_feedback(*, application: Application) -> list[AnonymousReview]:
    """Submitted reviews as "Expert 1, 2, 3…", in an order shuffled deterministically
    by a hash, so the numbering says nothing about who wrote what or when."""
    reviews = list(
        Review.objects.filter(
            assignment__application=application,
            assignment__status=Assignment.Status.SUBMITTED,
        ).prefetch_related(Prefetch("scores", queryset=_scores_with_criteria()))
    )

    def key(r: Review) -> str:
        return hashlib.sha256(f"{application.pk}:{r.pk}".encode()).hexdigest()

    out = []
    for n, r in enumerate(sorted(reviews, key=key), start=1):
        out.append(
            AnonymousReview(
                label_number=n,
                recommendation=r.get_recommendation_display(),
                comment=r.comment,
                comments=tuple(
                    (s.criterion.name, s.comment) for s in r.scores.all() if s.comment
                ),
                total=r.total,
            )
        )
    return out


def _scores_with_criteria():
    from .models import Score

    return Score.objects.select_related("criterion")


def sessions_of_call(*, call: Call) -> QuerySet[CouncilSession]:
    # The frozen minutes hold the whole ranking: a list needs none of them.
    return call.council_sessions.defer("minutes_snapshot").annotate(
        present=Count("attendance")
    )
