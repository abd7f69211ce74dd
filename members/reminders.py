"""Reminders of the members app: the yearly report every NGO files to the state NGO
database by 31 March (a legal duty in Kazakhstan; late filing is fined)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.names import names_of
from alliance_portal.reminders import Deadline, Due, deadlines, finder

from .models import Affiliation, Organisation


def _report_day(year: int) -> datetime.date:
    return datetime.date(year, 3, 31)


def _leaders():
    return Affiliation.objects.filter(
        status=Affiliation.Status.APPROVED,
        role=Affiliation.Role.LEADER,
        organisation__kind=Organisation.Kind.NGO,
    ).select_related("user", "organisation")


@finder
def ngo_annual_report(today: datetime.date):
    """In February, and again in the week before 31 March; a window rather than one day
    so that a job missed on the first day still sends, and the key keeps it to once."""
    due = _report_day(today.year)
    if datetime.date(today.year, 2, 1) <= today < due - datetime.timedelta(days=7):
        step = "february"
    elif due - datetime.timedelta(days=7) <= today <= due:
        step = "week-before"
    else:
        return
    for aff in _leaders():
        yield Due(
            key=f"ngo-annual-report:{aff.organisation_id}:{aff.user_id}:{today.year}:{step}",
            kind="ngo_annual_report",
            recipient=aff.user,
            due_date=due,
            title=_("The yearly report to the state NGO database is due on 31 March"),
            body=_(
                "Every NGO files its yearly report to the state database of NGOs by "
                "31 March; late filing is fined. Organisation: %(name)s."
            ),
            params={"name": names_of(aff.organisation)},
            url=reverse("home"),
        )


@deadlines
def ngo_annual_report_deadline(start: datetime.date, end: datetime.date):
    for year in {start.year, end.year}:
        day = _report_day(year)
        if start <= day <= end:
            yield Deadline(
                date=day,
                kind="ngo_annual_report",
                title=str(_("Yearly reports of NGOs to the state NGO database")),
            )
