"""The grants' money by quarter (``GrantMoneyQuarter``) and in total
(``GrantMoneyTotal``): summaries the dashboard reads instead of every tranche and
expenditure, recomputed here and nowhere else."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import TruncQuarter

from grants.models import Expenditure, GrantMoneyQuarter, GrantMoneyTotal, Tranche

ZERO = Decimal("0.00")


def _quarter_sums(grant_ids: set[int] | None) -> dict[tuple[int, object], list]:
    """``{(grant id, quarter): [paid, spent]}`` summed by the database."""
    tranches = Tranche.objects.filter(status=Tranche.Status.PAID)
    spending = Expenditure.objects.all()
    if grant_ids is not None:
        tranches = tranches.filter(grant_id__in=grant_ids)
        spending = spending.filter(grant_id__in=grant_ids)
    sums: dict[tuple[int, object], list] = {}
    for index, (qs, day) in enumerate(((tranches, "paid_on"), (spending, "spent_on"))):
        rows = (
            qs.annotate(q=TruncQuarter(day))
            .values_list("grant_id", "q")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for grant_id, quarter, total in rows:
            sums.setdefault((grant_id, quarter), [ZERO, ZERO])[index] += total
    return sums


@transaction.atomic
def money_summary_refresh(*, grant_ids: Iterable[int] | None = None) -> int:
    """Recompute the quarter rows and the totals of these grants (every grant when
    ``None``) from their paid tranches and expenditures; returns how many quarter
    rows they now have.

    Guarantees: afterwards the rows of these grants equal a direct aggregation of
    their paid tranches (by ``paid_on``) and expenditures (by ``spent_on``), and each
    total the sum of its grant's quarter rows — a recorded, edited or deleted row is
    reflected, never added up incrementally. Every service that pays a tranche or
    records an expenditure calls it in its own
    transaction, holding the grant's row lock (every grants money service locks the
    grant first), so two refreshes of one grant never interleave; code that writes
    those rows in bulk (seeding) calls it once afterwards."""
    ids = None if grant_ids is None else set(grant_ids)
    for model in (GrantMoneyQuarter, GrantMoneyTotal):
        stale = model.objects.all()
        if ids is not None:
            stale = stale.filter(grant_id__in=ids)
        stale.delete()
    rows = []
    totals: dict[int, GrantMoneyTotal] = {}
    for (grant_id, quarter), (paid, spent) in _quarter_sums(ids).items():
        rows.append(
            GrantMoneyQuarter(
                grant_id=grant_id, quarter=quarter, paid=paid, spent=spent
            )
        )
        total = totals.setdefault(
            grant_id, GrantMoneyTotal(grant_id=grant_id, paid=ZERO, spent=ZERO)
        )
        total.paid += paid
        total.spent += spent
    GrantMoneyQuarter.objects.bulk_create(rows, batch_size=5000)
    GrantMoneyTotal.objects.bulk_create(totals.values(), batch_size=5000)
    return len(rows)
