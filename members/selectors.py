"""Read queries of the members app, scoped to the asker."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Affiliation, MembershipPeriod, Organisation


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
    """Alliance members on a date (today by default)."""
    on = on or timezone.localdate()
    return Organisation.objects.filter(_active_on(on)).distinct()


def organisation_is_member(
    *, organisation: Organisation, on: datetime.date | None = None
) -> bool:
    on = on or timezone.localdate()
    return Organisation.objects.filter(_active_on(on), pk=organisation.pk).exists()
