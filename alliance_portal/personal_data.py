"""What the portal holds about one person, gathered from every app.

Each app that keeps personal data has ``<app>/personal_data.py`` with
``collect(user) -> dict`` (its part, JSON-ready); this module finds them by name, as
documents and reminders are found, so that the core imports no app."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

_collectors: list = []


def autodiscover() -> None:
    _collectors.clear()
    for config in apps.get_app_configs():
        if config.name == __package__:
            continue  # this module; the core's own part is _core below
        try:
            module = import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.personal_data":
                raise
            continue
        _collectors.append((config.label, module.collect))


def _core(user) -> dict:
    from .models import Notification, SecurityEvent

    return {
        "notifications": [
            {"title": n.title, "at": n.created_at.isoformat()}
            for n in Notification.objects.filter(recipient=user).order_by("-pk")[:500]
        ],
        "sign_in_events": [
            {"kind": e.kind, "at": e.at.isoformat(), "ip": e.ip}
            for e in SecurityEvent.objects.filter(user=user).order_by("-at")[:500]
        ],
    }


def collect(user) -> dict:
    if not _collectors:
        autodiscover()
    return {"portal": _core(user), **{label: part(user) for label, part in _collectors}}


def mask_iin(value) -> str:
    """An individual's IIN (12 digits, the 5th from 0 to 3: a birth date) shown as
    ``********1234``; a legal entity's BIN (5th digit 4–6) is public and stays."""
    text = "" if value is None else str(value)
    if len(text) == 12 and text.isdigit() and text[4] in "0123":
        return "*" * 8 + text[-4:]
    return text


def mask_iins(text) -> str:
    """Every IIN inside free text masked (a team list, a note)."""
    import re

    if not text:
        return text or ""
    return re.sub(r"(?<!\d)\d{12}(?!\d)", lambda m: mask_iin(m.group(0)), str(text))
