"""Staff confirming a registration are told what happened."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from forums.models import Registration
from forums.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_confirming_a_registration_ends_with_a_message(client, make_user):
    reg = RegistrationFactory(full_name="Айгүл Сәрсенова")
    client.force_login(make_user("staff"))
    response = client.post(reverse("forums:registration_confirm", args=[reg.pk]))
    assert response.status_code == 302
    notes = list(get_messages(response.wsgi_request))
    assert [m.level_tag for m in notes] == ["success"]
    assert "Айгүл Сәрсенова" in str(notes[0])
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CONFIRMED
