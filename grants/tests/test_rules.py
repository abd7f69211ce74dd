import pytest

from grants import rules
from grants.tests.factories import fund_officer_of, leader_of, make_grant, staff_user
from members.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant():
    return make_grant()


def test_only_the_funders_officers_and_staff_confirm_payments(grant):
    assert rules.can_confirm_payment.test(fund_officer_of(grant.funder), grant)
    assert rules.can_confirm_payment.test(staff_user(), grant)
    other = fund_officer_of(OrganisationFactory(kind="fund"))
    assert not rules.can_confirm_payment.test(other, grant)
    assert not rules.can_confirm_payment.test(UserFactory(role="fund_officer"), grant)
    assert not rules.can_confirm_payment.test(leader_of(grant.organisation), grant)


def test_only_the_ngos_leaders_and_staff_report_on_a_grant(grant):
    assert rules.can_report_on_grant.test(leader_of(grant.organisation), grant)
    assert rules.can_report_on_grant.test(staff_user(), grant)
    assert not rules.can_report_on_grant.test(leader_of(OrganisationFactory()), grant)
    assert not rules.can_report_on_grant.test(UserFactory(role="official"), grant)
    assert not rules.can_report_on_grant.test(fund_officer_of(grant.funder), grant)


def test_pending_affiliation_gives_no_access(grant):
    from members.models import Affiliation

    leader = UserFactory(role="ngo_leader")
    Affiliation.objects.create(user=leader, organisation=grant.organisation)
    assert not rules.can_view_grant.test(leader, grant)


def test_officials_read_but_do_not_manage(grant):
    official = UserFactory(role="official")
    assert rules.can_view_grant.test(official, grant)
    assert rules.can_download_dossier.test(official, grant)
    assert not rules.can_manage_grant.test(official, grant)
    assert not rules.can_view_grant.test(UserFactory(role="expert"), grant)
