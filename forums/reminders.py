"""Reminders of the forums app: resolutions due in 14 days and overdue, to the
responsible organisation's leaders; and, 3 days before a forum or an event, to whoever
registered its confirmed delegates."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from alliance_portal.reminders import Deadline, Due, deadlines, finder, step_for
from members.models import User
from members.selectors import leaders_of

from .models import Event, Forum, Registration, Resolution

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


GATHERING_NOTICE_DAYS = 3


def _gatherings_starting(today: datetime.date, days: int):
    """Forums and events starting 1 to ``days`` days after ``today``, with the day."""
    last = today + datetime.timedelta(days=days)
    for forum in Forum.objects.filter(starts_on__gt=today, starts_on__lte=last):
        yield "forum", forum, forum.starts_on

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    events = Event.objects.filter(
        starts_at__gte=midnight(today + datetime.timedelta(days=1)),
        starts_at__lt=midnight(last + datetime.timedelta(days=1)),
    )
    for event in events:
        yield "event", event, timezone.localdate(event.starts_at)


@finder
def delegates_expected(today: datetime.date):
    """One reminder per registrant per gathering: in the days before it starts, to
    each user who registered delegates that are confirmed (not cancelled or only on
    the waiting list). The key has no step or date, so it is sent exactly once."""
    for kind, gathering, day in _gatherings_starting(today, GATHERING_NOTICE_DAYS):
        step = step_for(today=today, due=day, before=GATHERING_NOTICE_DAYS)
        if step != f"before-{GATHERING_NOTICE_DAYS}":
            continue
        counts = dict(
            Registration.objects.filter(
                **{kind: gathering}, status=Registration.Status.CONFIRMED
            )
            .values("registered_by")
            .annotate(n=Count("pk"))
            .values_list("registered_by", "n")
        )
        users = User.objects.filter(pk__in=counts, is_active=True).order_by("pk")
        for user in users:
            # The gathering's name and the link in the recipient's language.
            with translation.override(user.language or settings.LANGUAGE_CODE):
                name = str(gathering.title)
                url = reverse("forums:my_registrations")
            yield Due(
                key=f"delegates-expected:{kind}:{gathering.pk}:{user.pk}",
                kind="forums.delegates_expected",
                recipient=user,
                due_date=day,
                title=_("%(gathering)s starts on %(date)s"),
                body=_(
                    "Confirmed delegates you registered: %(count)s. Please remind "
                    "them to come; if someone cannot, cancel their registration so "
                    "that the place goes to the waiting list."
                ),
                params={
                    "gathering": name,
                    "date": day.strftime("%d.%m.%Y"),
                    "count": counts[user.pk],
                },
                url=url,
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
            title=r.text[:120],
            url=reverse("forums:resolution_detail", args=[r.pk]),
            who=str(r.responsible or ""),
        )
