"""Reminders of the projects app: a draft in a call that closes within three days."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.reminders import Deadline, Due, deadlines, finder
from members.selectors import leaders_of

from .models import Application, Call


@finder
def drafts_in_closing_calls(today: datetime.date):
    """NGO leaders with an unsubmitted draft, three days before the call closes."""
    now = timezone.now()
    # Calendar days: a call closing on the 15th is "in three days" from the 12th on.
    limit = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=4), datetime.time.min)
    )
    drafts = Application.objects.filter(
        status__in=[Application.Status.DRAFT, Application.Status.RETURNED],
        call__status=Call.Status.OPEN,
        call__closes_at__gt=now,
        call__closes_at__lt=limit,
    ).select_related("call", "organisation")
    for application in drafts:
        closes = timezone.localtime(application.call.closes_at)
        for user in leaders_of(organisation=application.organisation):
            yield Due(
                key=f"call-closing:{application.pk}:{user.pk}:{closes.date()}",
                kind="application_call_closing",
                recipient=user,
                due_date=closes.date(),
                title=_(
                    "Your draft application is not submitted: the call closes on %(date)s"
                ),
                params={"date": closes.strftime("%d.%m.%Y %H:%M")},
                body=str(application.title or application.call.title_kk).replace(
                    "%", "%%"
                ),
                url=reverse("projects:application_detail", args=[application.pk]),
            )


@deadlines
def call_closing_dates(start: datetime.date, end: datetime.date):
    calls = Call.objects.filter(
        status=Call.Status.OPEN, closes_at__date__gte=start, closes_at__date__lte=end
    )
    for call in calls:
        yield Deadline(
            date=timezone.localtime(call.closes_at).date(),
            kind="call_closing",
            title=str(call.title),
            url=reverse("projects:call_detail", args=[call.pk]),
        )
