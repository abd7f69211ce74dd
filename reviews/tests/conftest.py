import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from members.tests.factories import OrganisationFactory
from reviews.tests.factories import (
    ApplicationFactory,
    CallFactory,
    CallReviewSettingsFactory,
    CriterionFactory,
    ExpertProfileFactory,
)


@pytest.fixture
def staff(make_user):
    return make_user("staff")


@pytest.fixture
def call(db):
    call = CallFactory(envelope=Decimal("3000000.00"), max_grant=Decimal("2000000.00"))
    CallReviewSettingsFactory(
        call=call, review_deadline=timezone.now() + datetime.timedelta(days=7)
    )
    return call


@pytest.fixture
def criteria(call):
    return [
        CriterionFactory(call=call, weight=Decimal(3), comment_required=True),
        CriterionFactory(call=call, weight=Decimal(1), may_be_not_applicable=True),
    ]


@pytest.fixture
def experts(call):
    """Four experts, each of their own organisation, on the panel of ``call``."""
    return [
        ExpertProfileFactory(organisation=OrganisationFactory(), panel=[call])
        for _ in range(4)
    ]


@pytest.fixture
def applications(call):
    return [ApplicationFactory(call=call, admitted=True) for _ in range(4)]
