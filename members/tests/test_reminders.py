import datetime

import pytest

from alliance_portal.models import Reminder
from alliance_portal.reminders import reminders_send_due
from members.models import Affiliation
from members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_user):
    user = make_user("ngo_leader", language="kk")
    Affiliation.objects.create(
        user=user,
        organisation=OrganisationFactory(),
        role=Affiliation.Role.LEADER,
        status=Affiliation.Status.APPROVED,
    )
    return user


def _sent(user):
    return list(
        Reminder.objects.filter(recipient=user, kind="ngo_annual_report")
        .order_by("pk")
        .values_list("key", flat=True)
    )


def test_ngo_leader_is_reminded_in_february_and_a_week_before_31_march(leader):
    # given the job runs every day from late January to early April
    day = datetime.date(2027, 1, 25)
    while day <= datetime.date(2027, 4, 5):
        reminders_send_due(today=day)
        day += datetime.timedelta(days=1)
    # then exactly two reminders reached the leader: February, and the week before
    keys = _sent(leader)
    assert len(keys) == 2
    assert keys[0].endswith(":2027:february")
    assert keys[1].endswith(":2027:week-before")
    first = Reminder.objects.get(key=keys[0])
    assert first.sent_at is not None
    assert "31 наурыз" in first.notification.title


def test_a_missed_first_of_february_still_reminds_once(leader):
    reminders_send_due(today=datetime.date(2027, 2, 9))
    reminders_send_due(today=datetime.date(2027, 2, 10))
    assert len(_sent(leader)) == 1


def test_pending_affiliations_get_no_reminder(leader):
    Affiliation.objects.update(status=Affiliation.Status.PENDING)
    reminders_send_due(today=datetime.date(2027, 2, 1))
    assert _sent(leader) == []
