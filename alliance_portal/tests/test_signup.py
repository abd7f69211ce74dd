"""Sign-up asks for the person's name and, optionally, a phone."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "Сенімді-құпия-2026"


def _signup(client, **extra):
    data = {
        "email": "asem@example.kz",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "full_name": "  Әсем   Төлегенова ",
        "consent": "on",
        **extra,
    }
    return client.post("/kk/accounts/signup/", data)


def test_signup_stores_the_name_and_phone(client):
    response = _signup(client, phone="+7 701 234 56 78")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="asem@example.kz")
    assert user.full_name == "Әсем Төлегенова"
    assert user.phone == "+7 701 234 56 78"
    assert str(user) == "Әсем Төлегенова"


def test_signup_without_a_name_is_refused_with_a_message(client):
    response = _signup(client, full_name="   ")
    assert response.status_code == 200
    assert 'name="full_name"' in response.content.decode()
    assert not get_user_model().objects.filter(email="asem@example.kz").exists()


def test_signup_with_a_bad_phone_is_refused_with_a_message(client):
    response = _signup(client, phone="12")
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="asem@example.kz").exists()


def test_signup_page_asks_for_name_and_phone(client):
    html = client.get("/kk/accounts/signup/").content.decode()
    assert 'name="full_name"' in html
    assert 'name="phone"' in html
