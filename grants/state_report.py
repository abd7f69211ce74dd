"""The grants' share of an NGO's yearly report to the state NGO database: money
received and its sources, money spent, projects carried out and their beneficiaries.
Registered with ``resources.state_report`` in ``GrantsConfig.ready``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from resources.state_report import Row, Section

from .models import Expenditure, Grant, Report, Tranche

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(value) -> Decimal:
    """A database sum as tenge with two places (SQLite sums carry extra digits)."""
    return (value or ZERO).quantize(CENT)


def _name(row: dict) -> str:
    kk, ru = row["grant__funder__name_kk"], row["grant__funder__name_ru"]
    return (kk or ru) if get_language() == "kk" else (ru or kk)


def grants_figures(*, organisation, year: int) -> list[Section]:
    """All sums by the database; a grant counts in the year its period overlaps."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    grants = Grant.objects.filter(organisation=organisation)
    received = (
        Tranche.objects.filter(
            grant__organisation=organisation,
            status=Tranche.Status.PAID,
            paid_on__gte=first,
            paid_on__lte=last,
        )
        .values("grant__funder__name_kk", "grant__funder__name_ru")
        .annotate(total=Sum("amount"))
        .order_by("grant__funder__name_kk")
    )
    signed = grants.filter(signed_at__year=year).aggregate(
        n=Count("pk"), total=Sum("amount")
    )
    spent = Expenditure.objects.filter(
        grant__organisation=organisation, spent_on__gte=first, spent_on__lte=last
    ).aggregate(total=Sum("amount"))["total"]
    running = grants.exclude(
        status__in=[Grant.Status.DRAFT, Grant.Status.CONTRACT_GENERATED]
    ).filter(starts_on__lte=last, ends_on__gte=first)
    projects = running.aggregate(n=Count("pk"))["n"]
    # Reports count beneficiaries from the start of the project: the largest approved
    # figure of each grant is what it reached; the sum runs over the few grants.
    reached = running.annotate(
        reached=Max(
            "reports__beneficiaries_reached",
            filter=Q(
                reports__status=Report.Status.APPROVED,
                reports__period_start__lte=last,
            ),
        )
    ).values_list("reached", flat=True)
    money_rows = [
        Row(_("Grant contracts signed in the year"), signed["n"] or 0),
        Row(_("Amount of the contracts signed"), _money(signed["total"]), "money"),
        Row(
            _("Money received (tranches paid)"),
            _money(sum((r["total"] for r in received), ZERO)),
            "money",
        ),
    ]
    money_rows += [
        Row(
            _("Received from: %(funder)s") % {"funder": _name(r)},
            _money(r["total"]),
            "money",
        )
        for r in received
    ]
    return [
        Section(_("Grants received and their sources"), money_rows),
        Section(
            _("Money spent"),
            [Row(_("Spent on social projects"), _money(spent), "money")],
        ),
        Section(
            _("Projects"),
            [
                Row(_("Social projects carried out in the year"), projects),
                Row(
                    _("Beneficiaries reached (approved reports)"),
                    sum(r or 0 for r in reached),
                ),
            ],
        ),
    ]
