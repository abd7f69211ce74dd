"""The iCalendar feed of forums and events (RFC 5545), in Kyzylorda time."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .selectors import CalendarItem

TZ = ZoneInfo("Asia/Qyzylorda")


def build_calendar(*, items: list[CalendarItem], request) -> bytes:
    host = request.get_host().split(":")[0] or "alliance-portal"
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PORTAL_NAME}//forums//KK")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(settings.PORTAL_NAME))
    cal.add("x-wr-timezone", "Asia/Qyzylorda")
    stamp = timezone.now()
    for item in items:
        ev = VEvent()
        # Stable per item, so a subscriber's calendar updates instead of duplicating.
        ev.add("uid", f"{item.uid}@{host}")
        ev.add("dtstamp", stamp)
        ev.add("summary", item.title)
        if item.all_day:
            ev.add("dtstart", item.starts)
            ev.add("dtend", item.ends + datetime.timedelta(days=1))  # exclusive
        else:
            ev.add("dtstart", item.starts.astimezone(TZ))
            ev.add("dtend", item.ends.astimezone(TZ))
        location = ", ".join(part for part in (item.venue, item.district) if part)
        if location:
            ev.add("location", location)
        if item.description:
            ev.add("description", item.description)
        ev.add("categories", [item.kind_label])
        ev.add(
            "url", request.build_absolute_uri(reverse(item.url_name, args=[item.pk]))
        )
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()
