from django import template

from projects.models import Application, Call

register = template.Library()


@register.filter
def call_next_statuses(call: Call) -> list[tuple[str, str]]:
    return [(s, Call.Status(s).label) for s in Call.TRANSITIONS.get(call.status, ())]


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def status_label(value: str) -> str:
    try:
        return Application.Status(value).label
    except ValueError:
        return value
