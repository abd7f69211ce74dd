"""Reminders of the memoranda app: commitments due in 14 days and overdue (to the
responsible party), and memoranda expiring in 30 days (to staff)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.permissions import Role
from alliance_portal.reminders import Deadline, Due, deadlines, finder, step_for
from members.models import User
from members.selectors import leaders_of

from .models import Commitment, Memorandum


@finder
def commitments_due(today: datetime.date):
    for c in Commitment.objects.open().select_related("memorandum", "responsible"):
        step = step_for(today=today, due=c.due_on, before=14)
        if step is None or step == "today":
            continue
        title = (
            _("A memorandum commitment is overdue")
            if step == "overdue"
            else _("A memorandum commitment is due on %(date)s")
        )
        for user in leaders_of(organisation=c.responsible):
            yield Due(
                key=f"commitment:{c.pk}:{user.pk}:{c.due_on}:{step}",
                kind="commitment_due",
                recipient=user,
                due_date=c.due_on,
                title=title,
                params={"date": c.due_on.strftime("%d.%m.%Y")},
                body=c.text_kk.replace("%", "%%"),
                url=reverse("memoranda:detail", args=[c.memorandum_id]),
            )


@finder
def memoranda_expiring(today: datetime.date):
    soon = Memorandum.objects.filter(
        valid_until__gt=today, valid_until__lte=today + datetime.timedelta(days=30)
    ).exclude(status__in=[Memorandum.Status.DRAFT, Memorandum.Status.TERMINATED])
    staff = list(User.objects.filter(is_active=True, role=Role.STAFF))
    for m in soon:
        for user in staff:
            yield Due(
                key=f"memorandum-expiring:{m.pk}:{user.pk}:{m.valid_until}",
                kind="memorandum_expiring",
                recipient=user,
                due_date=m.valid_until,
                title=_("A memorandum expires on %(date)s"),
                params={"date": m.valid_until.strftime("%d.%m.%Y")},
                body=m.title_kk.replace("%", "%%"),
                url=reverse("memoranda:detail", args=[m.pk]),
            )


@deadlines
def commitment_deadlines(start: datetime.date, end: datetime.date):
    rows = Commitment.objects.open().filter(due_on__gte=start, due_on__lte=end)
    for c in rows.select_related("responsible"):
        yield Deadline(
            date=c.due_on,
            kind="commitment_due",
            title=c.text[:120],
            url=reverse("memoranda:detail", args=[c.memorandum_id]),
            who=str(c.responsible),
        )
