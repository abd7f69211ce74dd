"""Reads of the projects app, scoped to the asker: an object outside a user's scope
is simply not in the queryset (a 404 for views)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from alliance_portal.permissions import Role, is_ngo_leader, is_staff_member
from members.models import User
from members.selectors import organisations_of

from .models import (
    Application,
    ApplicationSnapshot,
    Attachment,
    Call,
    DuplicateFlag,
    SectionComment,
)

# Earlier applications in these statuses are projects not yet closed (see
# ``unfinished_projects_of``).
# Long texts a list never shows.
LONG_TEXTS = (
    "problem",
    "goals",
    "target_group",
    "sustainability",
    "team",
    "experience",
    "problem_signature",
)
UNFINISHED_STATUSES = (Application.Status.FUNDED,)
_unfinished_checks: list = []


def register_unfinished_reports_check(func) -> None:
    """Hook for the grants app: ``func(organisation=) -> list[str]`` names the
    organisation's grants with unfinished reports. Registered checks replace the
    fallback below."""
    _unfinished_checks.append(func)


def unfinished_projects_of(*, organisation, exclude_call=None) -> list[str]:
    """Earlier projects of ``organisation`` that are not finished.

    Until the grants app registers a real check (grants with unapproved final
    reports) through :func:`register_unfinished_reports_check`, an earlier
    application still ``funded`` counts as unfinished: the grants app will move or
    close it when the final report is approved.
    """
    if _unfinished_checks:
        found: list[str] = []
        for check in _unfinished_checks:
            found.extend(check(organisation=organisation))
        return found
    qs = Application.objects.filter(
        organisation=organisation, status__in=UNFINISHED_STATUSES
    )
    if exclude_call is not None:
        qs = qs.exclude(call=exclude_call)
    return [a.number or a.title for a in qs.order_by("pk")]


# ---- calls -------------------------------------------------------------------


def calls_public() -> QuerySet[Call]:
    return (
        Call.objects.public()
        .select_related("funder")
        .prefetch_related("priority_themes", "eligible_districts")
        .order_by("closes_at")
    )


def calls_for_staff() -> QuerySet[Call]:
    return Call.objects.select_related("funder").order_by("-opens_at", "-pk")


def call_visible_to(*, user, pk) -> Call:
    """A call page: public while open, staff see every call."""
    qs = Call.objects.all() if is_staff_member(user) else Call.objects.public()
    return (
        qs.select_related("funder")
        .prefetch_related("priority_themes", "eligible_districts", "required_documents")
        .get(pk=pk)
    )


def call_status_history(*, call: Call) -> QuerySet:
    """Every move of the call along its workflow, oldest first, with who moved it."""
    return call.status_changes.select_related("actor").order_by("created_at", "pk")


# ---- applications --------------------------------------------------------------


def applications_visible_to(*, user) -> QuerySet[Application]:
    """Staff see all applications; a leader those of their organisations; others none."""
    if is_staff_member(user):
        return Application.objects.all()
    if is_ngo_leader(user):
        return Application.objects.filter(organisation__in=organisations_of(user=user))
    return Application.objects.none()


def application_for(*, user, pk) -> Application:
    return (
        applications_visible_to(user=user)
        .select_related("call", "organisation", "organisation__district", "theme")
        .prefetch_related(
            "districts",
            "activities",
            "results",
            "budget_lines",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.select_related("required_document"),
            ),
            "call__required_documents",
        )
        .get(pk=pk)
    )


def applications_of_leader(*, user) -> QuerySet[Application]:
    return (
        applications_visible_to(user=user)
        .select_related("call", "organisation")
        .order_by("-updated_at", "-pk")
    )


def applications_for_screening(*, user) -> QuerySet[Application]:
    """The staff list: every non-draft application with what the table shows.
    The duplicate flag is added per page by :func:`flag_same_organisation` (an
    annotation would be computed for every row skipped by the page's offset)."""
    return (
        applications_visible_to(user=user)
        .exclude(status=Application.Status.DRAFT)
        .select_related("call", "organisation", "organisation__district", "theme")
        .defer(*LONG_TEXTS)
        .order_by("-submitted_at", "-pk")
    )


def applications_in_order(*, queryset, ids: list[int]) -> list[Application]:
    """The rows of one page, loaded by id in the page's order: the list paginates
    over ids only (no joins for the rows an offset skips), then joins for 20 rows."""
    by_id = {a.pk: a for a in queryset.filter(pk__in=ids).order_by()}
    return [by_id[i] for i in ids if i in by_id]


def with_same_organisation_flag(queryset: QuerySet[Application]):
    """For exports: the flag as an annotation (every row is read anyway)."""
    others = Application.objects.filter(
        call=OuterRef("call"), organisation=OuterRef("organisation")
    ).exclude(pk=OuterRef("pk"))
    return queryset.annotate(same_org_in_call=Exists(others))


def flag_same_organisation(applications) -> None:
    """Set ``same_org_in_call`` on each application of a page, in one query: true
    when its organisation has another application in the same call."""
    rows = list(applications)
    if not rows:
        return
    pairs = (
        Application.objects.filter(
            call_id__in={a.call_id for a in rows},
            organisation_id__in={a.organisation_id for a in rows},
        )
        .values("call_id", "organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    repeated = {(p["call_id"], p["organisation_id"]) for p in pairs}
    for a in rows:
        a.same_org_in_call = (a.call_id, a.organisation_id) in repeated


def attachment_for(*, user, pk) -> Attachment:
    return Attachment.objects.select_related("application").get(
        pk=pk, application__in=applications_visible_to(user=user)
    )


def section_comments_of(*, application: Application) -> dict[str, list]:
    """The staff comments of the latest return, by section."""
    latest = (
        application.transitions.filter(to_status=Application.Status.RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return {}
    by_section: dict[str, list] = {}
    for c in SectionComment.objects.filter(transition=latest).select_related("author"):
        by_section.setdefault(c.section, []).append(c)
    return by_section


def returned_snapshot_of(*, application: Application) -> ApplicationSnapshot | None:
    return (
        application.snapshots.filter(kind=ApplicationSnapshot.Kind.RETURNED)
        .order_by("-created_at", "-pk")
        .first()
    )


def duplicate_flags(*, application: Application) -> list:
    """Possible duplicates within the same call: the same organisation (and so the
    same BIN) with another application, one indexed query; and the near-identical
    titles or problem texts stored when either application was submitted
    (:func:`projects.services.duplicates.application_flag_duplicates`)."""
    same_org = list(
        Application.objects.filter(
            call_id=application.call_id, organisation_id=application.organisation_id
        )
        .exclude(pk=application.pk)
        .exclude(status=Application.Status.WITHDRAWN)
        .only("pk", "number", "title", "status")
        .order_by("pk")
    )
    flags = [
        {"kind": "same_organisation", "other": other, "ratio": 1.0}
        for other in same_org
    ]
    seen = {other.pk for other in same_org}
    stored = (
        DuplicateFlag.objects.filter(application=application)
        .exclude(other__status=Application.Status.WITHDRAWN)
        .select_related("other")
        .only("ratio", "other__id", "other__number", "other__title", "other__status")
        .order_by("-ratio", "other_id")
    )
    flags.extend(
        {"kind": "similar_text", "other": flag.other, "ratio": flag.ratio}
        for flag in stored
        if flag.other_id not in seen
    )
    return flags


# ---- people to notify -----------------------------------------------------------


def staff_to_notify() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.STAFF)


def is_leader_of(*, user, organisation_id) -> bool:
    return organisations_of(user=user).filter(pk=organisation_id).exists()
