"""The history of a call's workflow: written by the one service, shown to staff."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.tests.factories import UserFactory
from projects import services
from projects.models import Call, CallStatusChange
from projects.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_moving_a_call_records_who_when_from_to_and_the_comment():
    # given an open call and a staff member
    call = CallFactory()
    staff = UserFactory(role="staff")
    # when staff close it with a comment
    services.call_change_status(
        call=call, to_status="closed", actor=staff, comment="  Мерзімі бітті  "
    )
    # then one history row says who moved it from open to closed, and why
    change = CallStatusChange.objects.get(call=call)
    assert (change.from_status, change.to_status) == ("open", "closed")
    assert change.actor == staff
    assert change.comment == "Мерзімі бітті"
    assert change.created_at is not None


def test_each_move_adds_a_row_in_order():
    # given a draft call
    call = CallFactory(status=Call.Status.DRAFT)
    staff = UserFactory(role="staff")
    # when it is opened, closed and reopened
    for to in ("open", "closed", "open"):
        services.call_change_status(call=call, to_status=to, actor=staff)
    # then the history holds the three moves in order
    moves = list(
        call.status_changes.order_by("created_at", "pk").values_list(
            "from_status", "to_status"
        )
    )
    assert moves == [("draft", "open"), ("open", "closed"), ("closed", "open")]


def test_a_refused_move_writes_no_history_and_keeps_the_status():
    # given an open call
    call = CallFactory()
    # when staff try to mark it decided directly
    with pytest.raises(ValidationError):
        services.call_change_status(
            call=call, to_status="decided", actor=UserFactory(role="staff")
        )
    # then nothing is recorded and the call is still open
    call.refresh_from_db()
    assert call.status == "open"
    assert not CallStatusChange.objects.exists()


def test_staff_move_through_the_page_and_see_the_history_there(client):
    # given an open call and a staff member on its page
    call = CallFactory()
    staff = UserFactory(role="staff", full_name="Айгүл Сапарова")
    client.force_login(staff)
    # when they close it with a comment
    response = client.post(
        reverse("projects:call_status", args=[call.pk]),
        {"status": "closed", "comment": "Өтінімдер қабылдау аяқталды"},
    )
    # then the call is closed and its page shows who did it and why
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "closed"
    page = client.get(reverse("projects:call_detail", args=[call.pk])).content.decode()
    assert 'data-testid="call-status-history"' in page
    assert "Айгүл Сапарова" in page
    assert "Өтінімдер қабылдау аяқталды" in page


@pytest.mark.parametrize(
    "role", ["anonymous", "ngo_leader", "expert", "fund_officer", "official"]
)
def test_others_see_no_history_and_cannot_move_the_call(client, role):
    # given an open call with one recorded move
    call = CallFactory(status=Call.Status.DRAFT)
    services.call_change_status(
        call=call, to_status="open", actor=UserFactory(role="staff"), comment="ішкі"
    )
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    # when they open the public call page and try to close the call
    page = client.get(reverse("projects:call_detail", args=[call.pk]))
    response = client.post(
        reverse("projects:call_status", args=[call.pk]), {"status": "closed"}
    )
    # then the page shows no history, the move is denied and nothing changes
    assert page.status_code == 200
    assert 'data-testid="call-status-history"' not in page.content.decode()
    assert response.status_code == (302 if role == "anonymous" else 403)
    call.refresh_from_db()
    assert call.status == "open"
    assert call.status_changes.count() == 1


def test_kazakh_call_page_shows_the_history_heading(client):
    # given a call with history, seen by staff in Kazakh
    call = CallFactory(status=Call.Status.DRAFT)
    staff = UserFactory(role="staff")
    services.call_change_status(call=call, to_status="open", actor=staff)
    client.force_login(staff)
    # when the page opens under /kk/
    page = client.get(f"/kk/projects/calls/{call.pk}/").content.decode()
    # then the heading and the status labels are in Kazakh
    assert "Мәртебе тарихы" in page


def _history_queries(client, call, moves):
    staff = UserFactory(role="staff")
    for _ in range(moves):
        services.call_change_status(call=call, to_status="closed", actor=staff)
        services.call_change_status(
            call=call, to_status="open", actor=UserFactory(role="staff")
        )
    url = reverse("projects:call_detail", args=[call.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_call_page_history_runs_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    # given staff looking at calls with a short and a long history
    client.force_login(UserFactory(role="staff"))
    short = _history_queries(client, CallFactory(), 1)
    long = _history_queries(client, CallFactory(), 15)
    # then the page costs the same number of queries
    assert short == long
    url = reverse("projects:call_detail", args=[CallFactory().pk])
    with django_assert_max_num_queries(short):
        client.get(url)
