"""Each app's reminders, walked day by day with a frozen clock: the right person, the
right days, once each."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from alliance_portal.models import Reminder
from alliance_portal.reminders import deadlines_between, reminders_send_due, step_for
from forums.tests.factories import ResolutionFactory
from members.tests.factories import AffiliationFactory, UserFactory
from memoranda.tests.factories import CommitmentFactory
from projects.models import Application
from projects.tests.factories import ApplicationFactory, CallFactory
from reviews.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=5))  # Asia/Qyzylorda


def _walk(first: datetime.date, last: datetime.date) -> None:
    day = first
    while day <= last:
        with time_machine.travel(
            datetime.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
        ):
            reminders_send_due(today=day)
        day += datetime.timedelta(days=1)


def _steps(user, kind):
    return [
        (r.key.rsplit(":", 1)[-1], r.sent_at.astimezone(TZ).date())
        for r in Reminder.objects.filter(recipient=user, kind=kind).order_by("pk")
    ]


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (20, None),
        (14, "before-14"),
        (1, "before-14"),
        (0, "today"),
        (-1, "overdue-w0"),
        (-7, "overdue-w0"),
        (-8, "overdue-w1"),
    ],
)
def test_step_windows(days_left, expected):
    due = datetime.date(2027, 5, 20)
    today = due - datetime.timedelta(days=days_left)
    assert step_for(today=today, due=due, before=14, weekly_overdue=True) == expected


def test_commitment_reminds_the_responsible_party_14_days_before_and_when_overdue():
    # given a commitment due on 20 May whose responsible party has a leader
    leader = AffiliationFactory().user
    org = leader.affiliations.get().organisation
    CommitmentFactory(responsible=org, due_on=datetime.date(2027, 5, 20))
    # when the daily job runs from 1 May to 31 May
    _walk(datetime.date(2027, 5, 1), datetime.date(2027, 5, 31))
    # then the leader heard twice: on 6 May (14 days before) and on 21 May (overdue)
    assert _steps(leader, "commitment_due") == [
        ("before-14", datetime.date(2027, 5, 6)),
        ("overdue", datetime.date(2027, 5, 21)),
    ]


def test_done_commitments_and_resolutions_are_not_chased():
    leader = AffiliationFactory().user
    org = leader.affiliations.get().organisation
    CommitmentFactory(responsible=org, due_on=datetime.date(2027, 5, 20), done=True)
    ResolutionFactory(
        responsible=org, deadline=datetime.date(2027, 5, 20), status="done"
    )
    _walk(datetime.date(2027, 5, 1), datetime.date(2027, 5, 25))
    assert Reminder.objects.count() == 0


def test_resolution_reminds_the_responsible_organisation():
    leader = AffiliationFactory().user
    org = leader.affiliations.get().organisation
    ResolutionFactory(responsible=org, deadline=datetime.date(2027, 9, 10))
    _walk(datetime.date(2027, 8, 20), datetime.date(2027, 9, 15))
    assert [s for s, _ in _steps(leader, "resolution_due")] == ["before-14", "overdue"]


def test_expert_is_reminded_three_days_before_a_review_is_due_and_when_late():
    # given an open assignment due on 10 June at 18:00
    due = datetime.datetime(2027, 6, 10, 18, tzinfo=TZ)
    assignment = AssignmentFactory(due=due)
    expert = assignment.expert.user
    # when the job runs every day of June
    _walk(datetime.date(2027, 6, 1), datetime.date(2027, 6, 30))
    # then two reminders: on 7 June and on 11 June
    assert _steps(expert, "review_due") == [
        ("before-3", datetime.date(2027, 6, 7)),
        ("overdue", datetime.date(2027, 6, 11)),
    ]


def test_leader_with_a_draft_hears_three_days_before_the_call_closes():
    # given a call closing on 15 March 2027 and a leader's draft in it
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, tzinfo=TZ)):
        call = CallFactory(
            opens_at=timezone.now() - datetime.timedelta(days=30),
            closes_at=datetime.datetime(2027, 3, 15, 18, tzinfo=TZ),
        )
        affiliation = AffiliationFactory()
        ApplicationFactory(call=call, organisation=affiliation.organisation)
        submitted = AffiliationFactory()
        ApplicationFactory(
            call=call,
            organisation=submitted.organisation,
            status=Application.Status.SUBMITTED,
        )
    # when the job runs daily in March
    _walk(datetime.date(2027, 3, 1), datetime.date(2027, 3, 20))
    # then the draft's leader heard once, on 12 March; the one who submitted, never
    steps = _steps(affiliation.user, "application_call_closing")
    assert len(steps) == 1
    assert steps[0][1] == datetime.date(2027, 3, 12)
    assert _steps(submitted.user, "application_call_closing") == []


def test_reminder_reaches_the_user_in_their_language():
    leader = UserFactory(language="ru")
    org = AffiliationFactory(user=leader).organisation
    CommitmentFactory(responsible=org, due_on=datetime.date(2027, 5, 20))
    _walk(datetime.date(2027, 5, 6), datetime.date(2027, 5, 6))
    reminder = Reminder.objects.get(recipient=leader)
    assert reminder.title.startswith("Срок обязательства")  # Russian, as the user reads


def test_deadlines_page_lists_what_falls_due():
    org = AffiliationFactory().organisation
    CommitmentFactory(responsible=org, due_on=datetime.date(2027, 5, 20))
    ResolutionFactory(responsible=org, deadline=datetime.date(2027, 5, 25))
    kinds = {
        d.kind
        for d in deadlines_between(
            datetime.date(2027, 5, 1), datetime.date(2027, 5, 31)
        )
    }
    assert {"commitment_due", "resolution_due"} <= kinds
