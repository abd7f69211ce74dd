import datetime

import pytest

from members.selectors import (
    affiliations_of,
    directory_queryset,
    members_on,
    organisation_is_member,
)
from members.tests.factories import (
    AffiliationFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def test_period_counts_from_its_first_day_and_not_on_its_last():
    period = MembershipPeriodFactory(started_on=D(2006, 3, 15), ended_on=D(2010, 1, 1))
    organisation = period.organisation
    assert not organisation_is_member(organisation=organisation, on=D(2006, 3, 14))
    assert organisation_is_member(organisation=organisation, on=D(2006, 3, 15))
    assert organisation_is_member(organisation=organisation, on=D(2009, 12, 31))
    assert not organisation_is_member(organisation=organisation, on=D(2010, 1, 1))


def test_suspended_period_does_not_count_as_membership():
    MembershipPeriodFactory(started_on=D(2012, 1, 1), status="suspended")
    assert members_on(on=D(2013, 1, 1)).count() == 0


def test_organisation_with_two_periods_is_counted_once():
    organisation = OrganisationFactory()
    MembershipPeriodFactory(
        organisation=organisation, started_on=D(2006, 1, 1), ended_on=D(2008, 1, 1)
    )
    MembershipPeriodFactory(organisation=organisation, started_on=D(2009, 1, 1))
    assert list(members_on(on=D(2010, 1, 1))) == [organisation]
    assert members_on(on=D(2008, 6, 1)).count() == 0


def test_my_organisations_show_the_membership_of_each_organisation():
    # given a leader of a member NGO and of a non-member NGO, whose affiliation ids
    # differ from the organisation ids
    leader = UserFactory()
    OrganisationFactory.create_batch(3)
    member = MembershipPeriodFactory().organisation
    other = OrganisationFactory()
    AffiliationFactory(user=leader, organisation=other)
    AffiliationFactory(user=leader, organisation=member)
    # then each affiliation says whether its own organisation is a member
    state = {a.organisation: a.is_member for a in affiliations_of(user=leader)}
    assert state == {member: True, other: False}


def test_directory_hides_unpublished_ngos_and_partners_from_the_public():
    from django.contrib.auth.models import AnonymousUser

    shown = OrganisationFactory()
    OrganisationFactory(is_published=False)
    OrganisationFactory(kind="akimat")
    assert list(directory_queryset(user=AnonymousUser())) == [shown]
    assert directory_queryset(user=UserFactory(role="staff")).count() == 2
