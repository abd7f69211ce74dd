from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from alliance_portal.kinds import kind_label as _kind_label
from alliance_portal.money import format_quantity, format_tenge
from alliance_portal.names import date_from, date_until
from alliance_portal.row_urls import row_url

register = template.Library()


@register.filter
def tenge(value) -> str:
    return format_tenge(value)


@register.filter
def quantity(value) -> str:
    return format_quantity(value)


@register.filter(name="date_from")
def date_from_filter(day) -> str:
    return date_from(day) if day else ""


@register.filter(name="date_until")
def date_until_filter(day) -> str:
    return date_until(day) if day else ""


@register.filter
def quoted(value) -> str:
    """``«…»`` around a name, once: a name that has its own «» inside (``«Игілік»
    қорының конкурсы``) gets „…“ inside instead of a doubled «««»."""
    from alliance_portal.typography import nested_quotes

    text = str(value or "").strip()
    if not text:
        return ""
    if text.startswith("«") and text.endswith("»") and text.count("«") == 1:
        return text
    return "«" + nested_quotes(text) + "»"


@register.filter
def kind_label(kind: str) -> str:
    return _kind_label(kind)


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


@register.filter
def mask_iin(value):
    """An individual's IIN as ``********1234``; a BIN of a legal entity unchanged."""
    from alliance_portal.personal_data import mask_iin as mask

    return mask(value)


@register.filter
def mask_iins(text):
    """Free text with every IIN in it masked."""
    from alliance_portal.personal_data import mask_iins as mask

    return mask(text)


@register.filter
def pick(value, key):
    """``{{ texts|pick:lang }}``: one language's text of a ``{"kk": …, "ru": …}``."""
    try:
        return value[key]
    except (KeyError, TypeError, IndexError):
        return ""


@register.filter(name="nested_quotes")
def nested_quotes_filter(value) -> str:
    """``«{{ call.title|nested_quotes }}»``: no doubled «« in a quoted name."""
    from alliance_portal.typography import nested_quotes

    return nested_quotes(value)


@register.simple_tag(name="row_url")
def row_url_tag(viewname: str, pk) -> str:
    """``{% url viewname pk %}`` for the rows of a long list (see row_urls)."""
    return row_url(viewname, pk)


@register.simple_tag
def light_field(field) -> str:
    """A form field in crispy-bootstrap5's markup (label, widget, errors) written in
    Python: crispy renders a dozen nested templates per field, which a busy page with
    several selects of hundreds of options pays on every view."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if field.errors:
        css += " is-invalid"
    required = field.field.required
    label = format_html(
        '<label for="{}" class="form-label{}">{}{}</label>',
        field.id_for_label,
        " requiredField" if required else "",
        capfirst(field.label),
        mark_safe('<span class="asteriskField">*</span>') if required else "",
    )
    errors = format_html_join(
        "",
        '<div class="invalid-feedback d-block">{}</div>',
        ((e,) for e in field.errors),
    )
    return format_html(
        '<div class="mb-3">{}{}{}</div>',
        label,
        field.as_widget(attrs={"class": css}),
        errors,
    )
