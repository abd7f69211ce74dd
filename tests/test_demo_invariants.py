"""The demo data obeys every rule real data obeys.

The demo is what people see first (and what the officials' dashboard shows in a
presentation); a demo application "funded" without a grant once made the dashboard
say 4 funded in its funnel and 3 funded projects beside it."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F, Q, Sum
from django.utils import timezone

from dashboard import selectors as dashboard
from dashboard.filters import DashboardFilters
from grants.models import Expenditure, Grant, Report, Tranche
from projects.models import Application, BudgetLine

pytestmark = pytest.mark.django_db


def _violations() -> list[str]:
    found = []
    today = timezone.localdate()

    def check(name, queryset):
        bad = list(queryset[:5])
        if bad:
            found.append(f"{name}: {bad}")

    check(
        "funded application without a grant",
        Application.objects.filter(
            status=Application.Status.FUNDED, grant__isnull=True
        ),
    )
    check(
        "grant of an application that is not funded",
        Grant.objects.exclude(application__status=Application.Status.FUNDED),
    )
    check(
        "expenditure dated after today", Expenditure.objects.filter(spent_on__gt=today)
    )
    check(
        "expenditure outside its grant's period",
        Expenditure.objects.filter(
            Q(spent_on__lt=F("grant__starts_on")) | Q(spent_on__gt=F("grant__ends_on"))
        ),
    )
    for report in Report.objects.filter(status=Report.Status.APPROVED):
        check(
            f"report {report.pk} approved over an undecided over-spend",
            Expenditure.objects.filter(
                grant_id=report.grant_id,
                spent_on__range=(report.period_start, report.period_end),
                is_overspend=True,
                overspend_approved_by__isnull=True,
            ),
        )
    for grant in Grant.objects.all():
        scheduled = grant.tranches.aggregate(s=Sum("amount"))["s"]
        if grant.tranches.exists() and scheduled != grant.amount:
            found.append(f"grant {grant.number}: tranches {scheduled} ≠ {grant.amount}")
        paid = grant.tranches.filter(status=Tranche.Status.PAID).aggregate(
            s=Sum("amount")
        )["s"]
        if paid and paid > grant.amount:
            found.append(f"grant {grant.number}: paid {paid} > {grant.amount}")
    check(
        "budget line whose grant part is not quantity × unit cost − co-funding",
        BudgetLine.objects.exclude(
            grant_amount=F("quantity") * F("unit_cost") - F("cofunding")
        ),
    )
    check(
        "submitted application without a number",
        Application.objects.exclude(status=Application.Status.DRAFT).filter(number=""),
    )
    filters = DashboardFilters()
    funnel = {row.code: row.count for row in dashboard.funnel(filters)}
    headline = dashboard.headline(filters)
    if funnel["funded"] != headline.funded_projects:
        found.append(
            f"dashboard: funnel says {funnel['funded']} funded, "
            f"the headline {headline.funded_projects} funded projects"
        )
    return found


def test_demo_data_obeys_every_invariant():
    # given the demo data
    call_command("seed_demo", stdout=io.StringIO())
    # then no rule is broken, and the dashboard counts one "funded"
    assert _violations() == []
    assert Grant.objects.exists()
    assert Application.objects.filter(status=Application.Status.FUNDED).exists()
