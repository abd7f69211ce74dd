"""Two registrations racing for the last place: the row lock on the forum serialises
them, so exactly one gets the place and the other is wait-listed (PostgreSQL only:
SQLite has no row locks)."""

import threading

import pytest
from django.db import connection, connections

from forums import services
from forums.models import Registration
from forums.tests.factories import ForumFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks (PostgreSQL)"
)
def test_two_delegates_racing_for_the_last_place_never_overfill_it(leader):
    # given a forum with one place left
    forum = ForumFactory(capacity=1)
    barrier = threading.Barrier(2)
    errors = []

    def register(name):
        try:
            barrier.wait()
            services.registration_create(
                gathering=forum,
                delegate=services.DelegateData(
                    full_name=name, organisation=leader.organisation, phone="1"
                ),
                actor=leader,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # when two leaders register at the same moment
    threads = [threading.Thread(target=register, args=(n,)) for n in ("А", "Б")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one holds the place and the other waits
    assert errors == []
    statuses = sorted(Registration.objects.values_list("status", flat=True))
    assert statuses == ["pending", "waitlisted"]
