"""Two-factor authentication is required for every role but NGO leaders."""

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from conftest import totp_now
from members.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.mark.parametrize(
    "role", ["expert", "staff", "fund_officer", "official", "admin"]
)
def test_role_without_totp_is_sent_to_set_it_up(client, role):
    # given a user of a role that requires 2FA, without an authenticator
    user = UserFactory(role=role)
    Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    # when they open their home page
    response = client.get("/kk/")
    # then they are sent to the TOTP set-up page and nowhere else
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response["Location"]


def test_ngo_leader_without_totp_reaches_home(client):
    client.force_login(UserFactory(role="ngo_leader"))
    assert client.get("/kk/").status_code == 200


def test_staff_login_asks_for_the_totp_code_and_accepts_a_valid_one(client):
    # given a staff user with TOTP
    user = UserFactory(role="staff")
    # when they log in with the password
    response = client.post(
        "/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    # then the second step asks for the code
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    # and a wrong code is refused, the right one lets them in
    bad = client.post("/kk/accounts/2fa/authenticate/", {"code": "000000"})
    assert bad.status_code == 200
    good = client.post("/kk/accounts/2fa/authenticate/", {"code": totp_now()})
    assert good.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_demo_secret_produces_codes_a_visitor_can_compute():
    from members.demo import DEMO_TOTP_SECRET

    assert len(pyotp.TOTP(DEMO_TOTP_SECRET).now()) == 6


def test_failed_logins_are_rate_limited(client):
    # given a user
    user = UserFactory(role="ngo_leader")
    # when someone tries wrong passwords repeatedly
    for _ in range(5):
        client.post("/kk/accounts/login/", {"login": user.email, "password": "wrong"})
    # then even the right password is refused for a while, with a message
    blocked = client.post(
        "/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    assert blocked.status_code == 200
    errors = blocked.context["form"].non_field_errors()
    assert errors
    assert "_auth_user_id" not in client.session


def test_bad_login_shows_a_kazakh_message(client):
    response = client.post(
        "/kk/accounts/login/", {"login": "nobody@example.kz", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "form" in response.context
    assert response.context["form"].errors
