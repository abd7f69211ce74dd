"""Fixtures shared by every app's tests and by the browser tests."""

import os
import shutil

import pyotp
import pytest
from django.test import Client

# Sync Playwright and the Django ORM share one thread in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of a downloaded browser (none can be downloaded here)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "kk-KZ",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def make_user(db):
    """``make_user("staff")`` → a verified user of that role (TOTP set up where required)."""
    from members.tests.factories import UserFactory

    def make(role="ngo_leader", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


def totp_now() -> str:
    from members.tests.factories import TEST_TOTP_SECRET

    return pyotp.TOTP(TEST_TOTP_SECRET).now()


def login(page, base_url: str, user, language: str = "kk"):
    """Log a user in through the real login form (and the TOTP step where it applies).

    Buttons are found inside their own form: the page also has the footer's language
    switcher, and the TOTP page a "Cancel" form."""
    from django.conf import settings

    from members.tests.factories import TEST_PASSWORD

    page.goto(f"{base_url}/{language}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    if user.role in settings.MFA_REQUIRED_ROLES:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_load_state()
        if page.locator("input[name=code]").count():
            # The code was computed just before its 30-second window closed (or was
            # already used in this window): a person types the next one.
            import time

            time.sleep(31 - time.time() % 30)
            page.fill("input[name=code]", totp_now())
            page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


@pytest.fixture
def browser_login(live_server):
    """``browser_login(page, user)``: :func:`login` against the live server."""

    def _login(page, user, language="kk"):
        return login(page, live_server.url, user, language)

    return _login


class PortalClient(Client):
    """``force_login`` stands for a completed login: for a two-factor role that means
    password *and* TOTP, as allauth records them in the session. Tests of the login
    itself use the real forms instead."""

    def force_login(self, user, backend=None):
        import time

        from allauth.account.internal.flows.login import (
            AUTHENTICATION_METHODS_SESSION_KEY,
        )

        super().force_login(user, backend)
        session = self.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp", "id": 0},
        ]
        session.save()


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture
def client_factory():
    """``client_factory()`` → a new :class:`PortalClient`, for tests with many users."""
    return PortalClient
