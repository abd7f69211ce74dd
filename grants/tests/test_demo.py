import io
from decimal import Decimal

import pytest

from grants import demo
from grants.models import Grant, Tranche
from grants.selectors import grant_money, grants_visible_to
from members import demo as members_demo
from members.models import User
from memoranda import demo as memoranda_demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_an_active_and_a_closed_grant_once(
    django_capture_on_commit_callbacks,
):
    # given the members demo data
    members_demo.seed(io.StringIO())
    memoranda_demo.seed(io.StringIO())
    # when the grants demo runs twice
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    # then there is one active grant half-way and one closed grant, not four
    assert Grant.objects.count() == 2
    active = Grant.objects.get(application__number="IG-DEMO-G1")
    closed = Grant.objects.get(application__number="IG-DEMO-G2")
    assert active.status == Grant.Status.ACTIVE
    assert active.tranches.get(sequence=1).status == Tranche.Status.PAID
    assert active.reports.get().status == "submitted"
    assert active.expenditures.count() == 3
    assert closed.status == Grant.Status.CLOSED
    assert closed.returned_amount == Decimal("160000.00")
    assert grant_money(grant=closed).reconciled
    # and the demo fund officer and leader see them
    officer = User.objects.get(email="fund@demo.kz")
    leader = User.objects.get(email="leader@demo.kz")
    assert grants_visible_to(user=officer).count() == 2
    assert grants_visible_to(user=leader).count() == 2
    # and each grant's contract was issued (kk, ru and two columns), with hashes
    from alliance_portal.models import IssuedDocument

    assert IssuedDocument.objects.filter(kind="grant_contract").count() == 6
    assert all(len(d.sha256) == 64 for d in IssuedDocument.objects.all())
