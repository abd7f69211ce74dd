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

from .models import Report, Tranche

OPEN_REPORTS = [Report.Status.DRAFT, Report.Status.RETURNED]

TITLES = {
    "before-7": _("Grant %(number)s: a report is due on %(date)s"),
    "today": _("Grant %(number)s: a report is due today"),
    "overdue": _("Grant %(number)s: a report is overdue since %(date)s"),
}


@finder
def reports_due(today: datetime.date):
    reports = Report.objects.filter(
        status__in=OPEN_REPORTS, due_on__isnull=False
    ).select_related("grant__organisation")
    for report in reports:
        step = step_for(today=today, due=report.due_on, before=7, weekly_overdue=True)
        if step is None:
            continue
        title = TITLES[step.split("-w")[0]]
        for user in leaders_of(organisation=report.grant.organisation):
            yield Due(
                key=f"report:{report.pk}:{user.pk}:{report.due_on}:{step}",
                kind="report_due",
                recipient=user,
                due_date=report.due_on,
                title=title,
                params={
                    "number": report.grant.number,
                    "date": report.due_on.strftime("%d.%m.%Y"),
                },
                url=reverse("grants:detail", args=[report.grant_id]),
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
    rows = Report.objects.filter(
        status__in=OPEN_REPORTS, due_on__gte=start, due_on__lte=end
    ).select_related("grant__organisation")
    for report in rows:
        yield Deadline(
            date=report.due_on,
            kind="report_due",
            title=f"{report.grant.number} · {report.get_kind_display()}",
            url=reverse("grants:detail", args=[report.grant_id]),
            who=str(report.grant.organisation),
        )


def unfinished_reports_of(*, organisation) -> list[str]:
    """Grants of ``organisation`` with a report past its due date and not approved
    (the call rule "no unfinished reports on earlier grants")."""
    from django.utils import timezone

    late = Report.objects.filter(
        grant__organisation=organisation,
        due_on__lt=timezone.localdate(),
    ).exclude(status=Report.Status.APPROVED)
    return sorted(set(late.values_list("grant__number", flat=True)))
