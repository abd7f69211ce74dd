"""Reminders of the forums app: resolutions due in 14 days and overdue, to the
responsible organisation's leaders."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.reminders import Deadline, Due, deadlines, finder, step_for
from members.selectors import leaders_of

from .models import Resolution

OPEN = [Resolution.Status.PLANNED, Resolution.Status.IN_PROGRESS]


@finder
def resolutions_due(today: datetime.date):
    rows = Resolution.objects.filter(
        status__in=OPEN, deadline__isnull=False, responsible__isnull=False
    ).select_related("responsible", "forum")
    for r in rows:
        step = step_for(today=today, due=r.deadline, before=14)
        if step is None or step == "today":
            continue
        title = (
            _("A forum resolution is overdue")
            if step == "overdue"
            else _("A forum resolution is due on %(date)s")
        )
        for user in leaders_of(organisation=r.responsible):
            yield Due(
                key=f"resolution:{r.pk}:{user.pk}:{r.deadline}:{step}",
                kind="resolution_due",
                recipient=user,
                due_date=r.deadline,
                title=title,
                params={"date": r.deadline.strftime("%d.%m.%Y")},
                body=r.text_kk.replace("%", "%%"),
                url=reverse("forums:resolution_detail", args=[r.pk]),
            )


@deadlines
def resolution_deadlines(start: datetime.date, end: datetime.date):
    rows = Resolution.objects.filter(
        status__in=OPEN, deadline__gte=start, deadline__lte=end
    ).select_related("responsible")
    for r in rows:
        yield Deadline(
            date=r.deadline,
            kind="resolution_due",
            title=r.text_kk[:120],
            url=reverse("forums:resolution_detail", args=[r.pk]),
            who=str(r.responsible or ""),
        )
