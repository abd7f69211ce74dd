"""Input no person types is refused at the edge with a clear, translated 400."""

import pytest
from django.urls import reverse

from alliance_portal.models import Notification

pytestmark = pytest.mark.django_db


def test_nul_byte_in_a_query_string_is_a_translated_400(client, make_user):
    # given staff on the deadlines page
    client.force_login(make_user("staff"))
    # when the kind filter carries a NUL byte
    response = client.get("/ru/deadlines/?kind=%00")
    # then the answer is a 400 that says why, in the reader's language
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert "<html" in response.content.decode()


def test_nul_byte_in_a_form_is_refused_and_nothing_is_saved(client, make_user):
    # given a leader with an unread notification
    user = make_user("ngo_leader")
    note = Notification.objects.create(recipient=user, kind="test", title="x")
    client.force_login(user)
    # when a form posts a NUL byte, even in a field the view ignores
    response = client.post(
        reverse("notifications_read"), {"id": str(note.pk), "x": "a\x00b"}
    )
    # then it is refused and the notification is still unread
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.parametrize("value", ["²", "9" * 30, "-1", "١"])
def test_marking_notifications_read_with_ids_that_are_not_ids_marks_nothing(
    client, make_user, value
):
    user = make_user("ngo_leader")
    note = Notification.objects.create(recipient=user, kind="test", title="x")
    client.force_login(user)
    response = client.post(reverse("notifications_read"), {"id": value})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is None


def test_a_huge_id_in_a_multiple_choice_is_a_form_error_not_a_500():
    # given a form with a multiple choice of organisations' fields of activity
    from members.forms import OrganisationProfileForm
    from members.tests.factories import FieldOfActivityFactory

    FieldOfActivityFactory()
    # when an id no integer column can hold is posted
    form = OrganisationProfileForm(data={"fields_of_activity": ["9" * 30]})
    # then the field says the choice is not valid (instead of an overflow)
    assert not form.is_valid()
    assert "fields_of_activity" in form.errors
