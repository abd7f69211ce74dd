"""The staff's weekly digest: what is overdue or waiting across the portal. It lives
here, in the one app that may read every other app."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.permissions import Role
from alliance_portal.reminders import Due, finder
from grants.models import Tranche
from grants.reminders import report_schedule
from members.models import User
from memoranda.models import Commitment
from reviews.models import Assignment


def weekly_figures(today: datetime.date) -> dict[str, int]:
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(today, datetime.time.min)
    )
    return {
        "reports": sum(1 for _g, _n, due in report_schedule() if due < today),
        "tranches": Tranche.objects.filter(status=Tranche.Status.REQUESTED).count(),
        "reviews": Assignment.objects.filter(
            status__in=[Assignment.Status.ASSIGNED, Assignment.Status.REOPENED],
            due__lt=start_of_today,
        ).count(),
        "commitments": Commitment.objects.overdue(today).count(),
    }


@finder
def staff_weekly_digest(today: datetime.date):
    """Once per ISO week, on the first run of the week (Monday's 09:00 job)."""
    figures = weekly_figures(today)
    if not any(figures.values()):
        return
    year, week, _day = today.isocalendar()
    for user in User.objects.filter(is_active=True, role=Role.STAFF):
        yield Due(
            key=f"staff-weekly:{user.pk}:{year}-W{week:02d}",
            kind="staff_weekly_digest",
            recipient=user,
            due_date=today,
            title=_("The week's overdue and waiting items"),
            body=_(
                "Overdue reports: %(reports)s\n"
                "Tranches awaiting approval: %(tranches)s\n"
                "Overdue reviews: %(reviews)s\n"
                "Overdue memorandum commitments: %(commitments)s"
            ),
            params=figures,
            url=reverse("deadlines"),
        )
