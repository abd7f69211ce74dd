"""Roles and the role checks every app uses. Deny by default: a predicate answers True
only for the roles it names, and anonymous users have no role at all.

Object-level checks live in each app's ``rules.py`` and are built from these predicates.
"""

from __future__ import annotations

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NGO_LEADER = "ngo_leader", _("NGO leader")
    EXPERT = "expert", _("Expert")
    STAFF = "staff", _("Alliance staff")
    FUND_OFFICER = "fund_officer", _("Fund officer")
    OFFICIAL = "official", _("Akimat official")
    ADMIN = "admin", _("Administrator")


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "role", None)


def _has_role(*roles: str):
    allowed = frozenset(roles)

    @rules.predicate
    def check(user) -> bool:
        return role_of(user) in allowed

    check.__name__ = "is_" + "_or_".join(roles)
    return check


is_ngo_leader = _has_role(Role.NGO_LEADER)
is_expert = _has_role(Role.EXPERT)
# Administrators can do everything staff can.
is_staff_member = _has_role(Role.STAFF, Role.ADMIN)
is_fund_officer = _has_role(Role.FUND_OFFICER)
is_official = _has_role(Role.OFFICIAL)
is_admin = _has_role(Role.ADMIN)
# Readers of portal-wide figures: staff, officials, fund officers.
is_oversight = _has_role(Role.STAFF, Role.ADMIN, Role.OFFICIAL, Role.FUND_OFFICER)


def role_required(*predicates):
    """View decorator: anonymous users go to login, wrong roles get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            from django.contrib.auth.views import redirect_to_login

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(p.test(request.user) for p in predicates):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin:
    """Class-based twin of :func:`role_required`; set ``allowed`` to predicates."""

    allowed: tuple = ()

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not any(p.test(request.user) for p in self.allowed):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
