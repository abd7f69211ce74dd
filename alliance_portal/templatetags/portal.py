from django import template

from alliance_portal.money import format_tenge

register = template.Library()


@register.filter
def tenge(value) -> str:
    return format_tenge(value)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def without_language(path: str) -> str:
    """``/ru/members/?q=1`` → ``/members/?q=1``: after switching language, the locale
    middleware adds the new prefix (Django cannot translate a URL of another language)."""
    from django.conf import settings

    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix) :]
    return path


@register.filter(name="nested_quotes")
def nested_quotes_filter(value) -> str:
    """``«{{ call.title|nested_quotes }}»``: no doubled «« in a quoted name."""
    from alliance_portal.typography import nested_quotes

    return nested_quotes(value)
