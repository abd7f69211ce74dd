"""Reminders of the reviews app: reviews due in three days, and overdue."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.reminders import Deadline, Due, deadlines, finder, step_for

from .models import Assignment

OPEN = [Assignment.Status.ASSIGNED, Assignment.Status.REOPENED]


@finder
def reviews_due(today: datetime.date):
    assignments = Assignment.objects.filter(
        status__in=OPEN, due__isnull=False
    ).select_related("expert__user", "application")
    for a in assignments:
        due = timezone.localtime(a.due).date()
        step = step_for(today=today, due=due, before=3)
        if step is None or step == "today":
            continue
        title = (
            _("A review is overdue: %(number)s")
            if step == "overdue"
            else _("A review is due on %(date)s: %(number)s")
        )
        yield Due(
            key=f"review:{a.pk}:{due}:{step}",
            kind="review_due",
            recipient=a.expert.user,
            due_date=due,
            title=title,
            params={"number": a.application.number, "date": due.strftime("%d.%m.%Y")},
            url=reverse("reviews:assignment_review", args=[a.pk]),
        )


@deadlines
def review_deadlines(start: datetime.date, end: datetime.date):
    rows = Assignment.objects.filter(
        status__in=OPEN, due__date__gte=start, due__date__lte=end
    ).select_related("expert__user", "application")
    for a in rows:
        yield Deadline(
            date=timezone.localtime(a.due).date(),
            kind="review_due",
            title=str(a.application.number or a.application.title),
            who=str(a.expert.user),
        )
