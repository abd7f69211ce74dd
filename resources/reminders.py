"""Reminders of the resource centre: the opt-in weekly news digest, sent through the
daily reminder job so each subscriber gets one message per week exactly once."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.reminders import Due, finder

from . import selectors
from .models import Audience


def _week_window(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday to Monday of the week before ``today``'s week, in local time."""
    monday = today - datetime.timedelta(days=today.weekday())

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return midnight(monday - datetime.timedelta(days=7)), midnight(monday)


@finder
def news_weekly_digest(today: datetime.date):
    """From Monday on, each subscriber gets last week's news they may read. The key
    names the ISO week, so a job that runs daily (or on two workers) sends it once."""
    start, end = _week_window(today)
    items = list(selectors.news_published_between(start=start, end=end))
    if not items:
        return
    year, week, _day = start.date().isocalendar()
    url = reverse("resources:news_list")
    for subscription in selectors.digest_subscribers():
        user = subscription.user
        members = selectors.sees_members_only(user)
        visible = [i for i in items if members or i.audience == Audience.PUBLIC]
        if not visible:
            continue
        lines = "\n".join(
            f"• {i.published_at:%d.%m.%Y} {i.title_kk} / {i.title_ru}" for i in visible
        )
        yield Due(
            key=f"news-digest:{user.pk}:{year}-W{week:02d}",
            kind="news_weekly_digest",
            recipient=user,
            due_date=end.date(),
            title=_("Alliance news of the week: %(count)s"),
            body=lines.replace("%", "%%"),
            url=url,
            params={"count": len(visible)},
        )


@finder
def bookings_tomorrow(today: datetime.date):
    """The day before an approved booking, its booker hears when and what."""
    tomorrow = today + datetime.timedelta(days=1)
    for booking in selectors.bookings_starting_on(day=tomorrow):
        start = timezone.localtime(booking.starts_at)
        yield Due(
            key=f"booking:{booking.pk}:day-before:{tomorrow}",
            kind="booking_tomorrow",
            recipient=booking.booked_by,
            due_date=tomorrow,
            title=_("Tomorrow at %(time)s: %(facility)s"),
            body=booking.purpose.replace("%", "%%"),
            url=reverse("resources:booking_list"),
            params={
                "time": start.strftime("%H:%M"),
                "facility": f"{booking.facility.name_kk} / {booking.facility.name_ru}",
            },
        )
