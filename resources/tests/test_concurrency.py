"""Two members booking one hall for overlapping hours at the same moment: exactly one
booking is stored (PostgreSQL only: SQLite has no row locks and no exclusion
constraint)."""

import threading

import pytest
from django.db import connection, connections

from resources import services
from resources.models import Booking

from .factories import FacilityFactory, at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)"
)
def test_two_overlapping_bookings_at_once_store_one(leader):
    hall = FacilityFactory()
    barrier = threading.Barrier(2)
    refused, stored = [], []

    def book(start, end):
        try:
            barrier.wait()
            stored.append(
                services.booking_request(
                    facility=hall,
                    user=leader,
                    organisation=leader.organisation,
                    starts_at=at(2, start),
                    ends_at=at(2, end),
                    purpose="Семинар",
                )
            )
        except Exception as exc:
            refused.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=book, args=(10, 12)),
        threading.Thread(target=book, args=(11, 13)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(stored) == 1
    assert [type(e).__name__ for e in refused] == ["ValidationError"]
    assert Booking.objects.count() == 1
