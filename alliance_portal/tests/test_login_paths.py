"""One way in: every login path asks two-factor roles for the second factor, and every
login path locks after repeated failures."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alliance_portal.tests.urlwalk import every_url
from conftest import totp_now
from members.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TWO_FACTOR_ROLES = ["expert", "staff", "fund_officer", "official", "admin"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_with_the_password_alone_signs_nobody_in():
    # given an administrator with TOTP
    admin = UserFactory(role="admin")
    client = Client()
    # when someone posts the administrator's password to the admin's login form
    response = client.post(
        "/kk/admin/login/?next=/kk/admin/",
        {"username": admin.email, "password": TEST_PASSWORD},
    )
    # then the admin sends them to the portal's login, nobody is signed in,
    # and the portal's pages stay closed
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/accounts/login/")
    assert not _signed_in(client)
    assert client.get("/kk/grants/").status_code == 302
    assert client.get("/kk/admin/").status_code == 302


def test_admin_is_reached_through_the_portal_login_with_the_second_factor():
    admin = UserFactory(role="admin")
    client = Client()
    client.post(
        "/kk/accounts/login/", {"login": admin.email, "password": TEST_PASSWORD}
    )
    assert not _signed_in(client)
    client.post("/kk/accounts/2fa/authenticate/", {"code": totp_now()})
    assert _signed_in(client)
    assert client.get("/kk/admin/").status_code == 200


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_a_password_only_session_reaches_no_url_of_the_portal(role):
    # given a two-factor user whose session was opened with the password alone
    # (Django's own login(), as any door around allauth would do)
    user = UserFactory(role=role)
    anonymous = Client()
    password_only = Client()
    password_only.post(
        "/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD}
    )
    assert not _signed_in(password_only)
    Client.force_login(password_only, user)  # the plain Django login, no MFA step
    # when they walk every URL of the portal
    reached = []
    for name, url in every_url():
        got = password_only.get(url).status_code
        if got == 200 and anonymous.get(url).status_code != 200:
            reached.append(name)
        if not _signed_in(password_only):
            Client.force_login(password_only, user)
    # then they reach nothing a visitor could not
    assert reached == []


def test_the_allauth_login_of_a_two_factor_role_stops_before_the_second_factor():
    user = UserFactory(role="staff")
    client = Client()
    client.post("/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert not _signed_in(client)
    assert client.get("/kk/projects/screening/").status_code == 302


def test_the_admin_login_locks_after_repeated_failures():
    # given an administrator, and 12 wrong passwords typed into the admin's door
    admin = UserFactory(role="admin")
    client = Client()
    for _ in range(12):
        client.post(
            "/kk/admin/login/", {"username": admin.email, "password": "wrong-guess"}
        )
        client.post(
            "/kk/accounts/login/", {"login": admin.email, "password": "wrong-guess"}
        )
    # when the right password comes next, by either door
    client.post(
        "/kk/admin/login/", {"username": admin.email, "password": TEST_PASSWORD}
    )
    blocked = client.post(
        "/kk/accounts/login/", {"login": admin.email, "password": TEST_PASSWORD}
    )
    # then it is refused with a message and nobody is signed in
    assert blocked.status_code == 200
    assert blocked.context["form"].non_field_errors()
    assert not _signed_in(client)
    assert "/accounts/2fa/" not in blocked.get("Location", "")


def test_the_second_factor_locks_after_repeated_wrong_codes():
    # given a staff member past the password step
    user = UserFactory(role="staff")
    client = Client()
    client.post("/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    # when ten wrong codes are typed
    for _ in range(10):
        client.post("/kk/accounts/2fa/authenticate/", {"code": "000000"})
    # then the right code is refused too
    client.post("/kk/accounts/2fa/authenticate/", {"code": totp_now()})
    assert not _signed_in(client)


def test_password_reauthentication_locks_after_repeated_failures(client):
    # given a signed-in leader asked to confirm their password
    user = UserFactory(role="ngo_leader")
    client.force_login(user)
    url = reverse("account_reauthenticate")
    for _ in range(12):
        client.post(url, {"password": "wrong-guess"})
    response = client.post(url, {"password": TEST_PASSWORD})
    # then the right password is refused after the run of failures
    assert response.status_code == 429


def test_logins_and_failed_logins_are_recorded():
    from alliance_portal.models import SecurityEvent

    user = UserFactory(role="staff")
    client = Client()
    client.post("/kk/accounts/login/", {"login": user.email, "password": "wrong"})
    client.post("/kk/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    client.post("/kk/accounts/2fa/authenticate/", {"code": "000000"})
    client.post("/kk/accounts/2fa/authenticate/", {"code": totp_now()})
    kinds = list(
        SecurityEvent.objects.order_by("at", "pk").values_list("kind", "login")
    )
    assert kinds == [
        ("login_failed", user.email),
        ("login_failed", user.email),
        ("login", user.email),
    ]


def test_a_privileged_session_ends_after_inactivity(client, settings, time_machine):
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 600
    user = UserFactory(role="staff")
    client.force_login(user)
    time_machine.move_to("2026-11-30 09:00:00+05:00", tick=False)
    assert client.get("/kk/").status_code == 200
    time_machine.move_to("2026-11-30 09:09:00+05:00", tick=False)
    assert client.get("/kk/").status_code == 200
    time_machine.move_to("2026-11-30 09:20:00+05:00", tick=False)
    response = client.get("/kk/")
    assert response.status_code == 302
    assert not _signed_in(client)
    from alliance_portal.models import SecurityEvent

    assert SecurityEvent.objects.filter(kind="session_expired", user=user).exists()


def test_a_leaders_session_does_not_expire_on_the_privileged_clock(
    client, settings, time_machine
):
    settings.PRIVILEGED_SESSION_IDLE_SECONDS = 600
    client.force_login(UserFactory(role="ngo_leader"))
    time_machine.move_to("2026-11-30 09:00:00+05:00", tick=False)
    client.get("/kk/")
    time_machine.move_to("2026-11-30 10:00:00+05:00", tick=False)
    assert client.get("/kk/").status_code == 200


def test_the_admin_never_shows_a_second_factors_secret(client):
    # given a staff member with TOTP and recovery codes
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    from members.tests.factories import TEST_TOTP_SECRET

    staff = UserFactory(role="staff")
    codes = RecoveryCodes.activate(staff)
    totp = Authenticator.objects.get(user=staff, type="totp")
    client.force_login(UserFactory(role="admin"))
    # when the administrator opens the authenticators in the admin
    pages = [
        client.get("/kk/admin/mfa/authenticator/"),
        client.get(f"/kk/admin/mfa/authenticator/{totp.pk}/change/"),
        client.get(f"/kk/admin/mfa/authenticator/{codes.instance.pk}/change/"),
    ]
    # then they see who has which factor, never the secret or a code
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        assert TEST_TOTP_SECRET not in text
        assert codes.instance.data["seed"] not in text
        for code in codes.get_unused_codes():
            assert code not in text
    assert str(staff) in pages[0].content.decode()


def test_role_changes_and_two_factor_changes_are_recorded(client):
    from alliance_portal.models import SecurityEvent

    # given an administrator changing a leader into an expert in the admin
    admin = UserFactory(role="admin")
    leader = UserFactory(role="ngo_leader")
    client.force_login(admin)
    response = client.post(
        f"/kk/admin/members/user/{leader.pk}/change/",
        {
            "email": leader.email,
            "full_name": leader.full_name,
            "phone": "",
            "language": "kk",
            "role": "expert",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind="role_changed")
    assert event.user == leader
    assert "ngo_leader → expert" in event.detail
    # and a staff member's TOTP removed through allauth's own flow
    from allauth.mfa.base.internal.flows import delete_and_cleanup
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    staff = UserFactory(role="staff")
    request = RequestFactory().post("/kk/accounts/2fa/totp/deactivate/")
    request.user = staff
    delete_and_cleanup(request, Authenticator.objects.get(user=staff, type="totp"))
    event = SecurityEvent.objects.get(kind="mfa_changed", user=staff)
    assert "authenticator_removed totp" in event.detail
