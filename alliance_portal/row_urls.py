"""URLs of the rows of a long list: one ``reverse()`` per view name and language,
then the row's id written into it.

Django's ``reverse()`` walks the resolver's namespaces and patterns on every call
(tens of microseconds); a page listing a hundred rows with two or three links each
spent more there than in its queries. Only for views taking one integer argument.
"""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# An id no row has, so it appears once in the reversed URL and marks where ids go.
_MARK = 2147483647
_templates: dict[tuple, tuple[str, str]] = {}


def row_url(viewname: str, pk: int) -> str:
    key = (viewname, get_language(), get_script_prefix(), get_urlconf())
    parts = _templates.get(key)
    if parts is None:
        head, _mark, tail = reverse(viewname, args=[_MARK]).partition(str(_MARK))
        parts = _templates[key] = (head, tail)
    return f"{parts[0]}{int(pk)}{parts[1]}"


def _forget(*, setting, **kwargs):
    # Tests that swap the URLconf must not be given URLs of the old one.
    if setting == "ROOT_URLCONF":
        _templates.clear()


setting_changed.connect(_forget)
