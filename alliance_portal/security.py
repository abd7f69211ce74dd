"""Security events: one function writes them; the library signals that carry logins,
failed logins and two-factor changes are connected here (allauth and django.contrib.auth
offer no other hook for them)."""

from __future__ import annotations

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)

from .models import SecurityEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is what nginx set; X-Forwarded-For can be typed by anyone.
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    request, kind: str, *, user=None, login: str = "", detail: str = ""
) -> SecurityEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        login=login[:254],
        ip=_client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        detail=str(detail)[:500],
    )


def record_download(request, *, what: str) -> None:
    """A private file or a personal-data export left the portal: who, what, when."""
    record_event(
        request, SecurityEvent.Kind.FILE_DOWNLOAD, user=request.user, detail=what
    )


def _on_login(sender, request, user, **kwargs):
    record_event(request, SecurityEvent.Kind.LOGIN, user=user, login=user.email)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(request, SecurityEvent.Kind.LOGOUT, user=user, login=user.email)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("email") or credentials.get("username") or ""
    record_event(request, SecurityEvent.Kind.LOGIN_FAILED, login=str(login))


def _on_mfa_change(what: str):
    def receiver(sender, request, authenticator=None, **kwargs):
        user = getattr(authenticator, "user", None) or getattr(request, "user", None)
        kind = getattr(authenticator, "type", "")
        record_event(
            request,
            SecurityEvent.Kind.MFA_CHANGED,
            user=user,
            login=getattr(user, "email", ""),
            detail=f"{what} {kind}".strip(),
        )

    return receiver


def _on_mfa_failed(sender, request, user=None, **kwargs):
    record_event(
        request,
        SecurityEvent.Kind.LOGIN_FAILED,
        login=getattr(user, "email", ""),
        detail="second factor",
    )


_mfa_receivers: dict = {}


def connect() -> None:
    from allauth.mfa import signals as mfa_signals

    user_logged_in.connect(_on_login, dispatch_uid="security_login")
    user_logged_out.connect(_on_logout, dispatch_uid="security_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="security_login_failed")
    mfa_signals.authentication_failed.connect(
        _on_mfa_failed, dispatch_uid="security_mfa_failed"
    )
    for name in ("authenticator_added", "authenticator_removed", "authenticator_reset"):
        signal = getattr(mfa_signals, name, None)
        if signal is not None:
            receiver = _mfa_receivers.setdefault(name, _on_mfa_change(name))
            signal.connect(receiver, dispatch_uid=f"security_{name}")
