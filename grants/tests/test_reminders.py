"""A grant walked through its report deadlines with a frozen clock: the NGO's leader
hears 7 days before, on the day, and weekly once late; an approved tranche reaches the
fund's officers once; the staff's weekly digest comes once a week."""

import datetime

import pytest
import time_machine
from django.core import mail

from alliance_portal.models import Reminder
from alliance_portal.reminders import reminders_send_due
from grants import services
from grants.models import Tranche
from grants.tests.factories import (
    fund_officer_of,
    leader_of,
    make_grant,
    staff_user,
)

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=5))


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


def _received(user, kind):
    return [
        (r.key.rsplit(":", 1)[-1], r.sent_at.astimezone(TZ).date())
        for r in Reminder.objects.filter(recipient=user, kind=kind).order_by("pk")
    ]


@pytest.fixture
def grant():
    grant = make_grant(signed=True)
    interim = grant.tranches.get(condition_report_number=1)
    interim.planned_on = datetime.date(2027, 4, 20)
    interim.save(update_fields=["planned_on"])
    grant.tranches.filter(condition_report_number=2).update(
        planned_on=datetime.date(2027, 12, 20)
    )
    return grant


def test_leader_hears_of_the_interim_report_on_the_right_days_once_each(
    grant, django_capture_on_commit_callbacks
):
    # given the leader of the executing NGO, reading in Kazakh
    leader = leader_of(grant.organisation, language="kk")
    mail.outbox.clear()
    # when the daily job runs from 1 April to 15 May, and twice on some days
    _walk(
        datetime.date(2027, 4, 1),
        datetime.date(2027, 5, 15),
        django_capture_on_commit_callbacks,
    )
    _walk(
        datetime.date(2027, 4, 13),
        datetime.date(2027, 4, 13),
        django_capture_on_commit_callbacks,
    )
    # then: 13 April (7 days before), 20 April (the day), then once a week while late
    assert _received(leader, "report_due") == [
        ("before-7", datetime.date(2027, 4, 13)),
        ("today", datetime.date(2027, 4, 20)),
        ("overdue-w0", datetime.date(2027, 4, 21)),
        ("overdue-w1", datetime.date(2027, 4, 28)),
        ("overdue-w2", datetime.date(2027, 5, 5)),
        ("overdue-w3", datetime.date(2027, 5, 12)),
    ]
    # and each reached them by email, in Kazakh
    subjects = [m.subject for m in mail.outbox if leader.email in m.to]
    assert len(subjects) == 6
    assert all("есеп" in s for s in subjects)


def test_a_handed_in_report_stops_the_reminders(
    grant, django_capture_on_commit_callbacks
):
    leader = leader_of(grant.organisation)
    actor = staff_user()
    _walk(
        datetime.date(2027, 4, 13),
        datetime.date(2027, 4, 13),
        django_capture_on_commit_callbacks,
    )
    # when the NGO hands in report 1
    with time_machine.travel(datetime.datetime(2027, 4, 14, 9, tzinfo=TZ)):
        report = services.report_save(
            grant=grant,
            actor=leader,
            kind="interim",
            period_start=grant.starts_on,
            period_end=grant.starts_on + datetime.timedelta(days=30),
            activities="Семинарлар өтті",
            results="120 жасөспірім",
            beneficiaries_reached=120,
        )
        services.report_submit(report=report, actor=leader)
    assert actor  # staff exists; nothing else is sent about report 1
    _walk(
        datetime.date(2027, 4, 14),
        datetime.date(2027, 5, 1),
        django_capture_on_commit_callbacks,
    )
    assert [s for s, _ in _received(leader, "report_due")] == ["before-7"]


def test_fund_officer_hears_once_of_an_approved_tranche(
    grant, django_capture_on_commit_callbacks
):
    officer = fund_officer_of(grant.funder)
    first = grant.tranches.get(sequence=1)
    services.tranche_approve(tranche=first, actor=staff_user())
    _walk(
        datetime.date(2027, 4, 1),
        datetime.date(2027, 4, 5),
        django_capture_on_commit_callbacks,
    )
    assert len(_received(officer, "tranche_awaiting_payment")) == 1
    # once paid, nothing more
    first.refresh_from_db()
    assert first.status == Tranche.Status.APPROVED


def test_staff_weekly_digest_comes_once_a_week(
    grant, django_capture_on_commit_callbacks
):
    staff = staff_user()
    # a late report makes the digest non-empty from 21 April on
    _walk(
        datetime.date(2027, 4, 19),
        datetime.date(2027, 5, 4),
        django_capture_on_commit_callbacks,
    )
    weeks = [
        r.key.rsplit(":", 1)[-1]
        for r in Reminder.objects.filter(
            recipient=staff, kind="staff_weekly_digest"
        ).order_by("pk")
    ]
    assert weeks == ["2027-W16", "2027-W17", "2027-W18"]


def test_a_late_report_names_the_grant_as_unfinished(grant):
    from grants.reminders import unfinished_reports_of

    # the interim report was due on 20 April 2027 and was never handed in
    with time_machine.travel(datetime.datetime(2027, 4, 19, 9, tzinfo=TZ)):
        assert unfinished_reports_of(organisation=grant.organisation) == []
    with time_machine.travel(datetime.datetime(2027, 4, 21, 9, tzinfo=TZ)):
        assert unfinished_reports_of(organisation=grant.organisation) == [grant.number]
