import pytest

from members.models import Affiliation
from members.tests.factories import MembershipPeriodFactory, OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _leader(make_user, *, member: bool):
    user = make_user("ngo_leader")
    organisation = OrganisationFactory()
    if member:
        MembershipPeriodFactory(organisation=organisation)
    Affiliation.objects.create(
        user=user, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    user.organisation = organisation
    return user


@pytest.fixture
def leader(make_user):
    """An NGO leader of an alliance member organisation."""
    return _leader(make_user, member=True)


@pytest.fixture
def outsider(make_user):
    """An NGO leader whose organisation is not an alliance member."""
    return _leader(make_user, member=False)


@pytest.fixture
def staff(make_user):
    return make_user("staff")
