"""The grants' money by quarter (``GrantMoneyQuarter``) and in total
(``GrantMoneyTotal``) always equal a direct aggregation of paid tranches and
expenditures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grants import services
from grants.models import (
    Expenditure,
    Grant,
    GrantMoneyQuarter,
    GrantMoneyTotal,
    Tranche,
)
from grants.tests.factories import fund_officer_of, make_grant, staff_user

pytestmark = pytest.mark.django_db

M = Decimal
ZERO = M("0.00")


def _quarter(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _direct() -> dict:
    """``{(grant id, quarter): (paid, spent)}`` added up from the rows themselves."""
    sums: dict = {}
    for t in Tranche.objects.filter(status=Tranche.Status.PAID):
        paid, spent = sums.get((t.grant_id, _quarter(t.paid_on)), (ZERO, ZERO))
        sums[(t.grant_id, _quarter(t.paid_on))] = (paid + t.amount, spent)
    for e in Expenditure.objects.all():
        paid, spent = sums.get((e.grant_id, _quarter(e.spent_on)), (ZERO, ZERO))
        sums[(e.grant_id, _quarter(e.spent_on))] = (paid, spent + e.amount)
    return sums


def _summary() -> dict:
    """The quarter rows, after checking that each grant's total is their sum."""
    rows = {
        (row.grant_id, row.quarter): (row.paid, row.spent)
        for row in GrantMoneyQuarter.objects.all()
    }
    totals: dict = {}
    for (grant_id, _quarter), (paid, spent) in rows.items():
        total_paid, total_spent = totals.get(grant_id, (ZERO, ZERO))
        totals[grant_id] = (total_paid + paid, total_spent + spent)
    assert {
        row.grant_id: (row.paid, row.spent) for row in GrantMoneyTotal.objects.all()
    } == totals
    return rows


def _signed_grant_starting(days_ago: int, staff):
    # given a signed grant whose period began ``days_ago`` days ago (several quarters)
    grant = make_grant(actor=staff, signed=True)
    today = timezone.localdate()
    Grant.objects.filter(pk=grant.pk).update(
        starts_on=today - datetime.timedelta(days=days_ago)
    )
    grant.refresh_from_db()
    return grant


def _spend(grant, actor, amount, days_ago):
    return services.expenditure_record(
        grant=grant,
        actor=actor,
        budget_line_id=grant.budget_lines.first().pk,
        spent_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        description="Семинар",
        amount=amount,
        supplier="ЖШС «Сыр»",
        payment_document=f"ПП-{days_ago}",
    )


def _pay(tranche, *, staff, officer, days_ago):
    services.tranche_approve(tranche=tranche, actor=staff)
    services.tranche_confirm_payment(
        tranche=tranche,
        actor=officer,
        paid_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        payment_document=f"ПП-{tranche.pk}",
    )


def test_quarter_sums_equal_the_rows_after_every_money_service_call():
    staff = staff_user()
    grant_a = _signed_grant_starting(250, staff)
    grant_b = _signed_grant_starting(100, staff)
    officer_a = fund_officer_of(grant_a.funder)
    officer_b = fund_officer_of(grant_b.funder)
    assert _summary() == _direct() == {}
    steps = [
        lambda: _pay(
            grant_a.tranches.get(sequence=1),
            staff=staff,
            officer=officer_a,
            days_ago=240,
        ),
        lambda: _spend(grant_a, grant_a.created_by, M("120000.55"), 230),
        lambda: _spend(grant_a, grant_a.created_by, M("80000.45"), 230),
        lambda: _spend(grant_a, grant_a.created_by, M("1000.01"), 130),
        lambda: _pay(
            grant_b.tranches.get(sequence=1),
            staff=staff,
            officer=officer_b,
            days_ago=95,
        ),
        lambda: _spend(grant_b, grant_b.created_by, M("33333.33"), 90),
        lambda: _spend(grant_a, grant_a.created_by, M("0.01"), 1),
        lambda: _spend(grant_b, grant_b.created_by, M("5000000.00"), 2),  # overspend
    ]
    # when money moves through the services, one call after another
    for step in steps:
        step()
        # then the quarter sums (and each grant's total) equal the rows, to the tiyn
        assert _summary() == _direct()
    assert len({quarter for _g, quarter in _summary()}) >= 3
    # and approving the over-spending (no money moves) keeps them equal
    overspend = Expenditure.objects.get(is_overspend=True)
    services.expenditure_approve_overspend(expenditure=overspend, actor=staff)
    assert _summary() == _direct()


def test_refresh_follows_edited_and_deleted_expenditures_and_keeps_other_grants():
    staff = staff_user()
    grant_a = _signed_grant_starting(250, staff)
    grant_b = _signed_grant_starting(250, staff)
    first = _spend(grant_a, grant_a.created_by, M("1000.00"), 200)
    _spend(grant_a, grant_a.created_by, M("2000.00"), 10)
    _spend(grant_b, grant_b.created_by, M("3000.00"), 10)
    b_rows = {k: v for k, v in _summary().items() if k[0] == grant_b.pk}
    # when an expenditure of grant A is edited (amount and quarter) and one deleted
    first.amount, first.spent_on = M("999.99"), timezone.localdate()
    first.save()
    Expenditure.objects.filter(grant=grant_a, amount=M("2000.00")).delete()
    services.money_summary_refresh(grant_ids=[grant_a.pk])
    # then A's quarter sums follow, and B's rows are untouched
    assert _summary() == _direct()
    assert {k: v for k, v in _summary().items() if k[0] == grant_b.pk} == b_rows
    # and rebuilding everything gives the same rows
    GrantMoneyQuarter.objects.all().delete()
    GrantMoneyTotal.objects.all().delete()
    assert services.money_summary_refresh() == len(_direct())
    assert _summary() == _direct()
