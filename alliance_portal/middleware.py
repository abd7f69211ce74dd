from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import role_of

# Paths a user without 2FA may still reach: the account pages (to set it up), the
# language switch, static files and the health check.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/media/")


class RequireMFAMiddleware:
    """Roles that handle money, scores or official data must set up TOTP first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        if role_of(user) not in settings.MFA_REQUIRED_ROLES:
            return False
        path = request.path_info
        if path.startswith(_OPEN_PREFIXES) or "/accounts/" in path:
            return False
        if request.session.get("mfa_ok") == user.pk:
            return False
        from allauth.mfa.models import Authenticator

        if Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            request.session["mfa_ok"] = user.pk
            return False
        return True


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
