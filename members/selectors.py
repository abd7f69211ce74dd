"""Read queries of the members app, scoped to the asker."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from alliance_portal.permissions import is_staff_member

from .models import (
    Affiliation,
    FieldOfActivity,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChangeRequest,
)


def organisations_of(*, user) -> QuerySet[Organisation]:
    """Organisations the user belongs to with an approved affiliation."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        affiliations__user=user, affiliations__status=Affiliation.Status.APPROVED
    )


def _active_on(on: datetime.date) -> Q:
    return Q(
        membership_periods__status=MembershipPeriod.Status.ACTIVE,
        membership_periods__started_on__lte=on,
    ) & (
        Q(membership_periods__ended_on__isnull=True)
        | Q(membership_periods__ended_on__gt=on)
    )


def members_on(*, on: datetime.date | None = None) -> QuerySet[Organisation]:
    """Alliance members on a date (today by default): an active period covers it.

    A period runs from ``started_on`` inclusive to ``ended_on`` exclusive, so an
    organisation that left on D is no longer counted on D.
    """
    on = on or timezone.localdate()
    return Organisation.objects.filter(_active_on(on)).distinct()


def organisation_is_member(
    *, organisation: Organisation, on: datetime.date | None = None
) -> bool:
    on = on or timezone.localdate()
    return Organisation.objects.filter(_active_on(on), pk=organisation.pk).exists()


def membership_on_q(on: datetime.date) -> Q:
    """A membership period (its own fields) that makes its organisation a member on
    that date: active and covering it."""
    return Q(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on),
        status=MembershipPeriod.Status.ACTIVE,
        started_on__lte=on,
    )


def is_member_subquery(
    on: datetime.date | None = None, *, organisation_ref: str = "pk"
) -> Exists:
    """An ``Exists`` to annotate rows with "the organisation is a member on that date";
    ``organisation_ref`` points to the organisation from the annotated model."""
    on = on or timezone.localdate()
    return Exists(
        MembershipPeriod.objects.filter(
            membership_on_q(on), organisation=OuterRef(organisation_ref)
        )
    )


def directory_queryset(*, user) -> QuerySet[Organisation]:
    """The NGO directory as the user may see it: the public sees published NGOs;
    staff also see unpublished ones. Annotated with ``is_member`` (today) and with the
    fields of activity prefetched, so a page costs a fixed number of queries."""
    qs = Organisation.objects.filter(kind=Organisation.Kind.NGO)
    if not is_staff_member(user):
        qs = qs.filter(is_published=True)
    return (
        qs.select_related("district")
        .prefetch_related(
            Prefetch("fields_of_activity", queryset=FieldOfActivity.objects.all())
        )
        .annotate(is_member=is_member_subquery())
        .order_by("name_ru" if get_language() == "ru" else "name_kk", "pk")
    )


def organisation_visible_to(*, user, slug: str) -> Organisation:
    """One organisation's profile, or 404. Unpublished ones are seen only by staff
    and by people who asked to join them."""
    qs = Organisation.objects.select_related("district").annotate(
        is_member=is_member_subquery()
    )
    organisation = qs.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if organisation.is_published or is_staff_member(user):
        return organisation
    if user.is_authenticated and organisation.affiliations.filter(user=user).exists():
        return organisation
    raise Http404


def organisation_managed_by(*, user, slug: str) -> Organisation:
    """An organisation the user leads (approved leader affiliation), or 404."""
    if not user.is_authenticated:
        raise Http404
    organisation = Organisation.objects.filter(
        slug=slug,
        affiliations__user=user,
        affiliations__role=Affiliation.Role.LEADER,
        affiliations__status=Affiliation.Status.APPROVED,
    ).first()
    if organisation is None:
        raise Http404
    return organisation


def membership_history(*, organisation: Organisation) -> QuerySet[MembershipPeriod]:
    return organisation.membership_periods.select_related(
        "started_by", "ended_by"
    ).order_by("started_on", "pk")


def affiliations_pending() -> QuerySet[Affiliation]:
    return (
        Affiliation.objects.filter(status=Affiliation.Status.PENDING)
        .select_related("user", "organisation", "organisation__district")
        .order_by("created_at", "pk")
    )


def applications_pending() -> QuerySet[MembershipApplication]:
    return (
        MembershipApplication.objects.filter(
            status=MembershipApplication.Status.APPLIED
        )
        .select_related("organisation", "applied_by")
        .order_by("created_at", "pk")
    )


def change_requests_pending() -> QuerySet[OrganisationChangeRequest]:
    return (
        OrganisationChangeRequest.objects.filter(
            status=OrganisationChangeRequest.Status.PENDING
        )
        .select_related("organisation", "requested_by")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class StaffQueue:
    affiliations: int
    applications: int
    change_requests: int


def staff_queue_counts() -> StaffQueue:
    return StaffQueue(
        affiliations=Affiliation.objects.filter(
            status=Affiliation.Status.PENDING
        ).count(),
        applications=MembershipApplication.objects.filter(
            status=MembershipApplication.Status.APPLIED
        ).count(),
        change_requests=OrganisationChangeRequest.objects.filter(
            status=OrganisationChangeRequest.Status.PENDING
        ).count(),
    )


def affiliations_of(*, user) -> QuerySet[Affiliation]:
    """The user's affiliations (any status) with the organisation's membership state."""
    return (
        Affiliation.objects.filter(user=user)
        .select_related("organisation")
        .annotate(
            is_member=is_member_subquery(organisation_ref="organisation"),
            open_application=Count(
                "organisation__membership_applications",
                filter=Q(
                    organisation__membership_applications__status=MembershipApplication.Status.APPLIED
                ),
            ),
        )
        .order_by("organisation__name_ru")
    )


def member_counts() -> dict:
    """Members today and published NGOs, for the public card."""
    today = timezone.localdate()
    return {
        "members_now": members_on(on=today).count(),
        "ngos": Organisation.objects.filter(
            kind=Organisation.Kind.NGO, is_published=True
        ).count(),
    }


def leaders_of(*, organisation) -> QuerySet:
    """Active people with an approved place in the organisation: who hears about it."""
    from .models import User

    return User.objects.filter(
        is_active=True,
        affiliations__organisation=organisation,
        affiliations__status=Affiliation.Status.APPROVED,
    ).distinct()


def organisation_by_slug(*, slug: str) -> Organisation:
    """Any organisation, published or not, for staff pages; 404 when unknown."""
    organisation = (
        Organisation.objects.select_related("district").filter(slug=slug).first()
    )
    if organisation is None:
        raise Http404
    return organisation


def staff_changes_of(*, organisation: Organisation):
    """The history of staff edits of an organisation's record, newest first."""
    return organisation.staff_changes.select_related("actor").order_by(
        "-created_at", "-pk"
    )


def documents_of(*, organisation: Organisation):
    return organisation.documents.select_related("uploaded_by").order_by(
        "-uploaded_at", "-pk"
    )


def document_visible_to(*, user, pk: int):
    """A private document the user may download, or 404: the organisation's leaders,
    staff and officials only."""
    from .models import OrganisationDocument
    from .rules import can_see_documents

    document = (
        OrganisationDocument.objects.select_related("organisation")
        .filter(pk=pk)
        .first()
    )
    if document is None or not can_see_documents(user, document.organisation):
        raise Http404
    return document
