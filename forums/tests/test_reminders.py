"""Whoever registered confirmed delegates hears 3 days before the forum or event
starts, once, in their language; walked day by day with a frozen clock."""

import datetime

import pytest
import time_machine
from django.core import mail

from alliance_portal.models import Reminder
from alliance_portal.reminders import reminders_send_due
from forums.tests.factories import EventFactory, ForumFactory, RegistrationFactory
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=5))  # Asia/Qyzylorda
KIND = "forums.delegates_expected"


def _walk(first, last, capture):
    day = first
    while day <= last:
        with (
            time_machine.travel(
                datetime.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
            ),
            capture(execute=True),
        ):
            reminders_send_due(today=day)
        day += datetime.timedelta(days=1)


def _received(user):
    return [
        (r.sent_at.astimezone(TZ).date(), r.title, r.body)
        for r in Reminder.objects.filter(recipient=user, kind=KIND).order_by("pk")
    ]


@pytest.fixture
def gatherings():
    forum = ForumFactory(
        number=6,
        starts_on=datetime.date(2027, 5, 20),
        ends_on=datetime.date(2027, 5, 21),
    )
    # 00:30 in Kyzylorda on 25 May is still 24 May in UTC: the local day counts
    event = EventFactory(
        title_ru="Круглый стол по грантам",
        starts_at=datetime.datetime(2027, 5, 25, 0, 30, tzinfo=TZ),
        ends_at=datetime.datetime(2027, 5, 25, 6, 0, tzinfo=TZ),
    )
    return forum, event


def test_registrants_of_confirmed_delegates_hear_3_days_before_once_in_their_language(
    gatherings, django_capture_on_commit_callbacks
):
    forum, event = gatherings
    # given a Kazakh-reading leader with two confirmed delegates (and one pending) at
    # the forum, and a Russian-reading one with a confirmed delegate at the event
    kk_leader = UserFactory(role="ngo_leader", language="kk")
    ru_leader = UserFactory(role="ngo_leader", language="ru")
    RegistrationFactory.create_batch(
        2, forum=forum, registered_by=kk_leader, status="confirmed"
    )
    RegistrationFactory(forum=forum, registered_by=kk_leader, status="pending")
    RegistrationFactory(
        forum=None, event=event, registered_by=ru_leader, status="confirmed"
    )
    mail.outbox.clear()
    # when the daily job runs every day of May, and twice on the reminder days
    _walk(
        datetime.date(2027, 5, 1),
        datetime.date(2027, 5, 31),
        django_capture_on_commit_callbacks,
    )
    for day in (datetime.date(2027, 5, 17), datetime.date(2027, 5, 22)):
        _walk(day, day, django_capture_on_commit_callbacks)
    # then the Kazakh reader heard once, on 17 May, in Kazakh, of 2 delegates
    [(sent_on, title, body)] = _received(kk_leader)
    assert sent_on == datetime.date(2027, 5, 17)
    assert title == "VI облыстық азаматтық форум 20.05.2027 күні басталады"
    assert "2" in body
    assert "делегаттар" in body
    # and the Russian reader once, on 22 May (the event's local day is 25 May)
    [(sent_on, title, body)] = _received(ru_leader)
    assert sent_on == datetime.date(2027, 5, 22)
    assert title == "Круглый стол по грантам начинается 25.05.2027"
    assert "делегатов" in body
    # and each had exactly one email
    assert [
        len([m for m in mail.outbox if u.email in m.to]) for u in (kk_leader, ru_leader)
    ] == [1, 1]


def test_no_reminder_for_cancelled_or_waitlisted_only_registrants(
    gatherings, django_capture_on_commit_callbacks
):
    forum, event = gatherings
    # given registrants whose delegates are only cancelled, waitlisted or pending
    cancelled = UserFactory(role="ngo_leader")
    waitlisted = UserFactory(role="ngo_leader")
    RegistrationFactory(forum=forum, registered_by=cancelled, status="cancelled")
    RegistrationFactory(
        forum=None, event=event, registered_by=cancelled, status="cancelled"
    )
    RegistrationFactory(forum=forum, registered_by=waitlisted, status="waitlisted")
    RegistrationFactory(forum=forum, registered_by=waitlisted, status="pending")
    # when the job runs through May
    _walk(
        datetime.date(2027, 5, 10),
        datetime.date(2027, 5, 26),
        django_capture_on_commit_callbacks,
    )
    # then nobody is reminded
    assert not Reminder.objects.filter(kind=KIND).exists()


def test_a_delegate_confirmed_inside_the_window_still_brings_one_reminder(
    gatherings, django_capture_on_commit_callbacks
):
    forum, _event = gatherings
    leader = UserFactory(role="ngo_leader", language="kk")
    registration = RegistrationFactory(
        forum=forum, registered_by=leader, status="pending"
    )
    # given the job ran on 17 May while the delegate still awaited confirmation
    _walk(
        datetime.date(2027, 5, 15),
        datetime.date(2027, 5, 17),
        django_capture_on_commit_callbacks,
    )
    assert _received(leader) == []
    # when staff confirm on 18 May and the job goes on past the start
    registration.status = "confirmed"
    registration.save(update_fields=["status"])
    _walk(
        datetime.date(2027, 5, 18),
        datetime.date(2027, 5, 24),
        django_capture_on_commit_callbacks,
    )
    # then one reminder, on 18 May, none on the day or after
    assert [sent_on for sent_on, _t, _b in _received(leader)] == [
        datetime.date(2027, 5, 18)
    ]
