"""Twenty fund officers press "confirm payment" on one tranche at the same moment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from grants import services
from grants.models import MoneyAuditEntry, Tranche, TrancheStatusChange
from grants.tests.factories import fund_officer_of, make_grant, staff_user

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_confirmations_make_exactly_one_payment():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no row locks (select_for_update is a no-op) and serialises "
            "writers for the whole file; this test runs on PostgreSQL (CI)."
        )
    # given an approved first tranche and twenty fund officers of the same fund
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    tranche = grant.tranches.get(sequence=1)
    services.tranche_approve(tranche=tranche, actor=staff)
    officers = [fund_officer_of(grant.funder) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def confirm(officer, n):
        # each thread has its own database connection
        try:
            barrier.wait()
            services.tranche_confirm_payment(
                tranche=Tranche.objects.get(pk=tranche.pk),
                actor=officer,
                paid_on=timezone.localdate(),
                payment_document=f"ПП-{n}",
            )
            result = "paid"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
            close_old_connections()
        with lock:
            outcomes.append(result)

    # when they all confirm at once
    threads = [
        threading.Thread(target=confirm, args=(officer, n))
        for n, officer in enumerate(officers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one payment is recorded, once, with one history row
    assert sorted(outcomes) == ["paid"] + ["refused"] * (THREADS - 1)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PAID
    assert (
        TrancheStatusChange.objects.filter(tranche=tranche, to_status="paid").count()
        == 1
    )
    assert (
        MoneyAuditEntry.objects.filter(
            object_type="tranche", object_id=tranche.pk, after="paid"
        ).count()
        == 1
    )
