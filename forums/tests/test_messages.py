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


def test_registration_form_starts_from_the_leaders_own_name_and_organisation(
    client, leader
):
    from django.contrib.auth import get_user_model

    from forums.tests.factories import EventFactory

    get_user_model().objects.filter(pk=leader.pk).update(
        full_name="Гүлнар Әбдірахманова", phone="+7 705 111 22 33"
    )
    event = EventFactory()
    client.force_login(leader)
    response = client.get(reverse("forums:register", args=["event", event.pk]))
    form = response.context["form"]
    assert form["full_name"].value() == "Гүлнар Әбдірахманова"
    assert form["phone"].value() == "+7 705 111 22 33"
    # not the email: unique per gathering, it would block the next delegate
    assert not form["email"].value()
    assert form["organisation"].value() == leader.organisation.pk
