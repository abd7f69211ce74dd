"""Messages rendered later, in the recipient's language."""

from django.utils.functional import lazy


def _interpolate(message, params: dict) -> str:
    return str(message) % params


def lazy_format(message, **params):
    """``_("… %(number)s …")`` with its parameters, translated when rendered:
    ``notify`` renders it in the recipient's language, not the sender's."""
    return lazy(_interpolate, str)(message, params)
