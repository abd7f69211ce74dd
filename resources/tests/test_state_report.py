"""Filing the yearly report to the state NGO database: the NGO records it, staff see
who has and has not filed, and the members' reminder points to the page and skips
NGOs that filed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from members.reminders import ngo_annual_report
from resources import services
from resources.models import StateReportFiling

pytestmark = pytest.mark.django_db


def _file(user, organisation, year=2025, **kwargs):
    return services.state_report_record_filing(
        organisation=organisation,
        user=user,
        year=year,
        filed_on=kwargs.get("filed_on", datetime.date(2026, 3, 20)),
        reference=kwargs.get("reference", "KZ-2026-0042"),
    )


def test_a_leader_records_and_corrects_the_filing(leader, outsider):
    _file(leader, leader.organisation)
    _file(leader, leader.organisation, reference="KZ-2026-0043")
    filing = StateReportFiling.objects.get()
    assert filing.reference == "KZ-2026-0043"
    with pytest.raises(PermissionDenied):
        _file(outsider, leader.organisation, reference="X")
    with pytest.raises(ValidationError):
        _file(leader, leader.organisation, year=2027)  # before the year it covers
    with pytest.raises(ValidationError):
        _file(
            leader,
            leader.organisation,
            filed_on=timezone.localdate() + datetime.timedelta(days=2),
        )
    assert StateReportFiling.objects.get().reference == "KZ-2026-0043"


def test_staff_see_who_filed(client, staff, leader):
    from members.tests.factories import MembershipPeriodFactory, OrganisationFactory

    late = OrganisationFactory(name_kk="Кешіккен ҮЕҰ")
    MembershipPeriodFactory(organisation=late)
    _file(leader, leader.organisation)
    client.force_login(staff)
    page = client.get(
        reverse("resources:state_report_index"), {"year": 2025}
    ).content.decode()
    assert f'data-org="{leader.organisation.slug}" data-filed="yes"' in page
    assert f'data-org="{late.slug}" data-filed="no"' in page
    # a leader is sent to their own organisation's page
    client.force_login(leader)
    response = client.get(reverse("resources:state_report_index"), {"year": 2025})
    assert response.url == reverse(
        "resources:state_report", args=[leader.organisation.slug, 2025]
    )


def test_the_reminder_points_to_the_page_and_skips_those_who_filed(leader, outsider):
    today = datetime.date(2026, 3, 26)
    _file(leader, leader.organisation)
    due = list(ngo_annual_report(today))
    recipients = {d.recipient for d in due}
    assert leader not in recipients
    assert outsider in recipients
    (mine,) = [d for d in due if d.recipient == outsider]
    assert mine.url == reverse(
        "resources:state_report", args=[outsider.organisation.slug, 2025]
    )
