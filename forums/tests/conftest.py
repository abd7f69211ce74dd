import pytest

from members.models import Affiliation
from members.tests.factories import OrganisationFactory


@pytest.fixture
def leader(make_user):
    """An NGO leader with an approved affiliation to one organisation."""
    user = make_user("ngo_leader")
    organisation = OrganisationFactory()
    Affiliation.objects.create(
        user=user, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    user.organisation = organisation
    return user


@pytest.fixture
def staff(make_user):
    return make_user("staff")
