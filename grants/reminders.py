"""Reminders of the grants app: reports due in 7 days, today, and overdue (then
weekly) to the NGO's leaders; approved tranches awaiting payment to the fund's
officers."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.permissions import Role
from alliance_portal.reminders import Deadline, Due, deadlines, finder, step_for
from members.models import Affiliation, User
from members.selectors import leaders_of

from .models import Grant, Report, Tranche

TITLES = {
    "before-7": _("Grant %(number)s: a report is due on %(date)s"),
    "today": _("Grant %(number)s: a report is due today"),
    "overdue": _("Grant %(number)s: a report is overdue since %(date)s"),
}


def report_schedule(*, grant_ids=None) -> list[tuple]:
    """(grant, report number, due date) of every report still to be handed in.

    The schedule is the tranche schedule: report N must be approved before the tranche
    whose condition is "report N approved", so it is due on that tranche's planned
    date (or on the date staff set on the report itself). Two queries, whatever the
    number of grants.
    """
    handed_in = set(
        Report.objects.filter(
            status__in=[Report.Status.SUBMITTED, Report.Status.APPROVED]
        ).values_list("grant_id", "number")
    )
    own_dates = {
        (grant_id, number): due_on
        for grant_id, number, due_on in Report.objects.filter(
            due_on__isnull=False
        ).values_list("grant_id", "number", "due_on")
    }
    tranches = Tranche.objects.filter(
        condition=Tranche.Condition.REPORT_APPROVED,
        condition_report_number__isnull=False,
        grant__status__in=Grant.MONEY_STATUSES,
    ).select_related("grant__organisation")
    if grant_ids is not None:
        tranches = tranches.filter(grant_id__in=grant_ids)
    schedule = []
    for t in tranches:
        key = (t.grant_id, t.condition_report_number)
        if key not in handed_in:
            schedule.append(
                (t.grant, t.condition_report_number, own_dates.get(key, t.planned_on))
            )
    return schedule


@finder
def reports_due(today: datetime.date):
    for grant, number, due in report_schedule():
        step = step_for(today=today, due=due, before=7, weekly_overdue=True)
        if step is None:
            continue
        for user in leaders_of(organisation=grant.organisation):
            yield Due(
                key=f"report:{grant.pk}:n{number}:{user.pk}:{due}:{step}",
                kind="report_due",
                recipient=user,
                due_date=due,
                title=TITLES[step.split("-w")[0]],
                params={"number": grant.number, "date": due.strftime("%d.%m.%Y")},
                url=reverse("grants:detail", args=[grant.pk]),
            )


def fund_officers_of(funder_id: int):
    return User.objects.filter(
        is_active=True,
        role=Role.FUND_OFFICER,
        affiliations__organisation_id=funder_id,
        affiliations__status=Affiliation.Status.APPROVED,
    ).distinct()


@finder
def tranches_awaiting_payment(today: datetime.date):
    rows = Tranche.objects.filter(status=Tranche.Status.APPROVED).select_related(
        "grant"
    )
    for tranche in rows:
        for user in fund_officers_of(tranche.grant.funder_id):
            yield Due(
                key=f"tranche-awaiting:{tranche.pk}:{user.pk}",
                kind="tranche_awaiting_payment",
                recipient=user,
                due_date=tranche.planned_on or today,
                title=_(
                    "Grant %(number)s: tranche %(seq)s is approved and awaits payment"
                ),
                params={"number": tranche.grant.number, "seq": tranche.sequence},
                url=reverse("grants:payments"),
            )


@deadlines
def report_deadlines(start: datetime.date, end: datetime.date):
    for grant, number, due in report_schedule():
        if start <= due <= end:
            yield Deadline(
                date=due,
                kind="report_due",
                title=f"{grant.number} · №{number}",
                url=reverse("grants:detail", args=[grant.pk]),
                who=str(grant.organisation),
            )


def unfinished_reports_of(*, organisation) -> list[str]:
    """Numbers of the organisation's grants with a report past its due date and not
    handed in (the call rule "no unfinished reports on earlier grants")."""
    from django.utils import timezone

    today = timezone.localdate()
    grant_ids = Grant.objects.filter(organisation=organisation).values("pk")
    late = {
        g.number for g, _n, due in report_schedule(grant_ids=grant_ids) if due < today
    }
    return sorted(late)
