"""A page of every app carries the Content-Security-Policy and the Permissions-Policy;
signed-in pages are never stored by a cache; the pages hold no inline script, handler
or style for the policy to block; scripts cannot read the CSRF cookie."""

import re

import pytest

from members.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

# (role, page) — one page of every app, and the account and admin pages.
PAGES = [
    (None, "/kk/"),
    (None, "/kk/accounts/login/"),
    (None, "/kk/members/"),
    (None, "/kk/dashboard/transparency/"),
    (None, "/kk/forums/"),
    ("ngo_leader", "/kk/"),
    ("ngo_leader", "/kk/projects/my/"),
    ("ngo_leader", "/kk/grants/my/"),
    ("ngo_leader", "/kk/notifications/"),
    ("expert", "/kk/reviews/my/"),
    ("staff", "/kk/memoranda/"),
    ("staff", "/kk/projects/screening/"),
    ("staff", "/kk/reviews/calls/"),
    ("staff", "/kk/grants/"),
    ("staff", "/kk/forums/calendar/"),
    ("staff", "/kk/members/desk/affiliations/"),
    ("staff", "/kk/deadlines/"),
    ("official", "/kk/dashboard/"),
    ("fund_officer", "/kk/grants/payments/"),
    ("admin", "/kk/admin/"),
]
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I
)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[^>]+\sstyle\s*=", re.I)


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_every_app_page_carries_the_policies(client, make_user, role, url):
    if role:
        client.force_login(make_user(role))
    response = client.get(url)
    assert response.status_code == 200, url
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    if role:
        assert response["Cache-Control"] == "private, no-store"
    if not url.startswith("/kk/admin/"):
        html = response.content.decode()
        assert INLINE_SCRIPT.findall(html) == []
        assert HANDLER.findall(html) == []
        assert STYLE_ATTR.findall(html) == []


def test_scripts_cannot_read_the_csrf_cookie(client):
    client.get("/kk/accounts/login/")
    assert client.cookies["csrftoken"]["httponly"] is True


def test_htmx_gets_the_csrf_token_from_the_page(client, make_user):
    client.force_login(make_user("ngo_leader"))
    html = client.get("/kk/").content.decode()
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)


def test_the_totp_set_up_page_works_under_the_policy(client, make_user):
    # the QR code is a data: image, which the policy allows; nothing inline
    from allauth.mfa.models import Authenticator

    user = make_user("staff")
    Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    client.post("/kk/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    response = client.get("/kk/accounts/2fa/totp/activate/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert INLINE_SCRIPT.findall(html) == []
    assert HANDLER.findall(html) == []
    assert STYLE_ATTR.findall(html) == []
