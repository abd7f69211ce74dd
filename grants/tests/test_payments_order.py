"""The fund officer's list of payments reads by the payment date it shows."""

import datetime

import pytest

from grants import selectors
from grants.models import Tranche
from grants.tests.factories import fund_officer_of, make_grant, pay_tranche, staff_user

pytestmark = pytest.mark.django_db


def test_paid_tranches_are_sorted_by_payment_date_not_confirmation_time():
    # given two grants of one fund, each with its first tranche paid
    staff = staff_user()
    first = make_grant(actor=staff, signed=True)
    second = make_grant(actor=staff, signed=True, call=first.application.call)
    officer = fund_officer_of(first.funder)
    early = pay_tranche(
        first.tranches.order_by("sequence")[0], staff=staff, officer=officer
    )
    late = pay_tranche(
        second.tranches.order_by("sequence")[0], staff=staff, officer=officer
    )
    # and the payment confirmed first was made later (entered after the fact)
    Tranche.objects.filter(pk=early.pk).update(paid_on=datetime.date(2026, 9, 1))
    Tranche.objects.filter(pk=late.pk).update(paid_on=datetime.date(2026, 3, 1))

    # when the officer's list is read
    paid = list(selectors.tranches_for_fund_officer(user=officer)["paid"])

    # then the newest payment date comes first
    assert [t.pk for t in paid] == [early.pk, late.pk]
    assert paid[0].paid_on > paid[1].paid_on
