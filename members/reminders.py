"""Reminders of the members app: the yearly report every NGO files to the state NGO
database by 31 March (a legal duty in Kazakhstan; late filing is fined)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance_portal.names import names_of
from alliance_portal.reminders import Deadline, Due, deadlines, finder

from .models import Affiliation, Organisation

# The app that prepares the report (resources) registers itself at start-up: where
# the report's page is and which organisations already filed. Without it the reminder
# still goes out, to everyone, pointing to the home page.
_state_report: dict = {}


def register_state_report(*, url_for, filed_organisations) -> None:
    """``url_for(organisation, year)`` → the page of the report for ``year``;
    ``filed_organisations(year)`` → ids of organisations that filed for ``year``."""
    _state_report.update(url_for=url_for, filed_organisations=filed_organisations)


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
    report_year = today.year - 1
    filed = (
        _state_report["filed_organisations"](report_year) if _state_report else set()
    )
    for aff in _leaders():
        if aff.organisation_id in filed:
            continue
        url = (
            _state_report["url_for"](aff.organisation, report_year)
            if _state_report
            else reverse("home")
        )
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
            url=url,
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
