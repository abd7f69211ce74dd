import time

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import role_of

# Paths a user without 2FA may still reach: the account pages (to set it up), the
# language switch, static files and the health check.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/media/")
_SETUP_PENDING = "mfa_setup_pending"
_LAST_SEEN = "privileged_last_seen"


def _passed_second_factor(request) -> bool:
    methods = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    return any(m.get("method") == "mfa" for m in methods)


class RequireMFAMiddleware:
    """Roles that handle money, scores or official data must set up TOTP first, and a
    session of theirs counts only when it passed the second factor.

    The second rule closes every door around allauth's two-step login: a session made
    by any other path (a password-only form, a login after a password reset or an email
    confirmation) is logged out and sent to the real login. The one exception is the
    session that set TOTP up: it was made before there was a second factor to ask for.
    Privileged sessions also end after ``PRIVILEGED_SESSION_IDLE_SECONDS`` without a
    request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if role_of(user) in settings.MFA_REQUIRED_ROLES:
            if self._idle_too_long(request):
                from .security import record_event

                record_event(request, "session_expired", user=user)
                logout(request)
                return redirect_to_login(request.get_full_path())
            verdict = self._verdict(request)
            if verdict == "login":
                logout(request)
                return redirect_to_login(request.get_full_path())
            if verdict == "setup":
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _idle_too_long(self, request) -> bool:
        now = int(time.time())
        last = request.session.get(_LAST_SEEN)
        idle = settings.PRIVILEGED_SESSION_IDLE_SECONDS
        if last is not None and now - last > idle:
            return True
        # Written at most once a minute, so that a busy page does not save the
        # session on every request.
        if last is None or now - last >= 60:
            request.session[_LAST_SEEN] = now
        return False

    def _verdict(self, request) -> str:
        user = request.user
        path = request.path_info
        session = request.session
        if session.get("mfa_ok") == user.pk:
            return "ok"
        from allauth.mfa.models import Authenticator

        has_totp = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
        if has_totp:
            if _passed_second_factor(request) or session.get(_SETUP_PENDING) == user.pk:
                session["mfa_ok"] = user.pk
                session.pop(_SETUP_PENDING, None)
                return "ok"
            return "login"
        session[_SETUP_PENDING] = user.pk
        if path.startswith(_OPEN_PREFIXES) or "/accounts/" in path:
            return "ok"
        return "setup"


class RememberLanguageMiddleware:
    """Keeps ``user.language`` in step with the language the user reads the portal in,
    so that emails and reminders reach them in that language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", None)
        prefixed = language and request.path_info.startswith(f"/{language}/")
        if (
            prefixed
            and user is not None
            and user.is_authenticated
            and user.language != language
        ):
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
        return response


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RefuseNulBytesMiddleware:
    """A NUL character in a query string or a form is refused with a 400, everywhere.

    PostgreSQL cannot store it in a text column and fails deep inside a save or a
    filter; no person types it, so one check at the edge is better than one per field.
    Uploaded files are not inspected: they are bytes, not text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            return render(
                request,
                "errors/400.html",
                {
                    "reason": _(
                        "What was sent contains an invisible NUL character, which "
                        "cannot be stored. Retype the text (do not paste it from "
                        "that source) and try again."
                    )
                },
                status=400,
            )
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The headers every page carries: a Content-Security-Policy (scripts, styles,
    images and fonts from the portal only, no inline code), a Permissions-Policy that
    switches off the browser features the portal never uses, and, on anything rendered
    for a signed-in user, ``Cache-Control: private, no-store`` so that no shared cache
    or back button on a shared computer keeps it. A response that set its own CSP (a
    served file's ``sandbox``) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-store"
        return response
