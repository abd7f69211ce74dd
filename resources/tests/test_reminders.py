"""The weekly news digest: sent once per ISO week to each subscriber, with only the
news they may read, through the daily reminder job."""

import datetime

import pytest
import time_machine

from alliance_portal.models import Notification
from alliance_portal.reminders import reminders_send_due
from resources import services

from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=5))  # Asia/Qyzylorda
KIND = "news_weekly_digest"


def _at(day, hour=9):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def test_weekly_digest_once_per_week_and_only_readable_news(
    leader, outsider, django_capture_on_commit_callbacks
):
    monday = datetime.date(2026, 11, 30)
    last_week = monday - datetime.timedelta(days=4)
    NewsItemFactory(title_kk="Ашық жаңалық", published_at=_at(last_week))
    NewsItemFactory(
        title_kk="Мүшелерге жаңалық", members_only=True, published_at=_at(last_week)
    )
    NewsItemFactory(title_kk="Осы аптаның жаңалығы", published_at=_at(monday, 8))
    for user in (leader, outsider):
        services.news_digest_subscribe(user=user, subscribe=True)
    # when the daily job runs Monday to Wednesday
    for offset in range(3):
        day = monday + datetime.timedelta(days=offset)
        with (
            time_machine.travel(_at(day)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_send_due(today=day)
    # then each subscriber got exactly one digest of last week's readable news
    mine = Notification.objects.get(recipient=leader, kind=KIND)
    theirs = Notification.objects.get(recipient=outsider, kind=KIND)
    assert "Мүшелерге жаңалық" in mine.body
    assert "Ашық жаңалық" in mine.body
    assert "Осы аптаның жаңалығы" not in mine.body
    assert "Мүшелерге жаңалық" not in theirs.body
    assert "Ашық жаңалық" in theirs.body


def test_no_digest_without_subscription_or_without_news(leader):
    monday = datetime.date(2026, 11, 30)
    NewsItemFactory(published_at=_at(monday - datetime.timedelta(days=3)))
    with time_machine.travel(_at(monday)):
        reminders_send_due(today=monday)
    assert not Notification.objects.filter(kind=KIND).exists()
