"""Proposals to the akim: submitted by leaders before the meeting, grouped and
forwarded by staff, followed up with a responsible or a reason, reported publicly."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance_portal.models import Notification
from members.tests.factories import DistrictFactory
from resources import services
from resources.models import AkimMeeting, AkimProposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    today = timezone.localdate()
    return AkimMeeting.objects.create(
        year=today.year,
        meets_on=today + datetime.timedelta(days=20),
        accepts_until=today + datetime.timedelta(days=10),
    )


def _submit(leader, meeting, topic="Ауыл жастарына спорт алаңы"):
    return services.proposal_submit(
        meeting=meeting,
        user=leader,
        organisation=leader.organisation,
        topic=topic,
        problem="Ауылда спорт алаңы жоқ.",
        proposal="Әр ауылдық округте бір алаң салу.",
        district=DistrictFactory(),
    )


def test_submit_forward_follow_up_and_report(client, leader, staff, meeting):
    first = _submit(leader, meeting)
    second = _submit(leader, meeting, topic="Мүгедектігі бар балаларға көлік")
    services.proposal_group(proposal=first, group="Жастар саясаты")
    assert services.proposals_forward(meeting=meeting, actor=staff) == 2
    services.proposal_follow_up(
        proposal=first,
        actor=staff,
        status="in_work",
        responsible="Дене шынықтыру басқармасы",
        text="Бюджетке енгізілді",
    )
    services.proposal_follow_up(
        proposal=second,
        actor=staff,
        status="declined",
        reason="Республикалық бағдарламада қаржыландырылады",
    )
    assert (
        Notification.objects.filter(
            recipient=leader, kind="akim_proposal_follow_up"
        ).count()
        == 2
    )
    first.refresh_from_db()
    assert [n.status_to for n in first.notes.all()] == ["forwarded", "in_work"]
    # the public report shows both, grouped, with counts
    page = client.get(reverse("resources:proposal_report", args=[meeting.year]))
    html = page.content.decode()
    assert "Жастар саясаты" in html
    assert "Дене шынықтыру басқармасы" in html
    assert "Республикалық бағдарламада" in html
    assert page.context["report"].counts == {"in_work": 1, "declined": 1}


def test_follow_up_needs_forwarding_responsible_and_reason(leader, staff, meeting):
    proposal = _submit(leader, meeting)
    with pytest.raises(ValidationError):
        services.proposal_follow_up(
            proposal=proposal, actor=staff, status="accepted", responsible="x"
        )
    services.proposals_forward(meeting=meeting, actor=staff)
    with pytest.raises(ValidationError) as exc:
        services.proposal_follow_up(proposal=proposal, actor=staff, status="accepted")
    assert "responsible" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.proposal_follow_up(proposal=proposal, actor=staff, status="declined")
    assert "reason" in exc.value.error_dict
    proposal.refresh_from_db()
    assert proposal.status == "forwarded"


def test_no_proposals_after_the_deadline_or_for_others(leader, outsider, meeting):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            meeting=meeting,
            user=outsider,
            organisation=leader.organisation,
            topic="x",
            problem="x",
            proposal="x",
            district=DistrictFactory(),
        )
    meeting.accepts_until = timezone.localdate() - datetime.timedelta(days=1)
    meeting.save()
    with pytest.raises(ValidationError):
        _submit(leader, meeting)
    assert not AkimProposal.objects.exists()


def test_a_leader_sees_only_own_proposals_before_the_report(
    client, leader, make_user, meeting
):
    from members.models import Affiliation
    from members.tests.factories import MembershipPeriodFactory, OrganisationFactory

    other = make_user("ngo_leader")
    org = OrganisationFactory()
    MembershipPeriodFactory(organisation=org)
    Affiliation.objects.create(user=other, organisation=org, status="approved")
    other.organisation = org
    mine = _submit(leader, meeting, topic="Менің ұсынысым")
    theirs = _submit(other, meeting, topic="Басқаның ұсынысы")
    client.force_login(leader)
    html = client.get(
        reverse("resources:meeting_detail", args=[meeting.year])
    ).content.decode()
    assert f'data-proposal="{mine.pk}"' in html
    assert f'data-proposal="{theirs.pk}"' not in html
    # a submitted (not forwarded) proposal is not in the public report
    assert (
        "Менің ұсынысым"
        not in client.get(
            reverse("resources:proposal_report", args=[meeting.year])
        ).content.decode()
    )


def test_only_staff_forward(client, leader, meeting):
    _submit(leader, meeting)
    client.force_login(leader)
    response = client.post(reverse("resources:proposals_forward", args=[meeting.year]))
    assert response.status_code == 403
    assert AkimProposal.objects.get().status == "submitted"
