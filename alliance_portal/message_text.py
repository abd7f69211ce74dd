"""A message kept as its English source and parameters, rendered in the reader's language.

A notification is read later, by someone whose language may differ from the sender's
(and may change). So instead of the rendered text the notification also keeps the
msgid (and context) of its title and body and their parameters, typed so that each
renders in the reader's language: a date as a date, money as tenge, a translatable
label as its msgid, a name given in several languages as that mapping.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext

from .money import format_tenge


def source_of(text) -> list | None:
    """``[context, msgid]`` of a lazy ``gettext_lazy``/``pgettext_lazy`` string."""
    args = getattr(text, "_args", None) if isinstance(text, Promise) else None
    if not args or not all(isinstance(a, str) for a in args) or len(args) > 2:
        return None
    return [args[0], args[1]] if len(args) == 2 else [None, args[0]]


def encode_value(value):
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):  # a Decimal parameter is money
        return {"money": str(value)}
    if isinstance(value, dict):  # {"kk": …, "ru": …, "en": …}: a name in languages
        return {"i18n": {k: str(v) for k, v in value.items() if v}}
    if isinstance(value, Promise):
        source = source_of(value)
        return {"text": source} if source else str(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def decode_value(value, language: str | None = None):
    if not isinstance(value, dict):
        return value
    if "date" in value:
        day = datetime.date.fromisoformat(value["date"])
        return formats.date_format(day, "SHORT_DATE_FORMAT")
    if "datetime" in value:
        moment = datetime.datetime.fromisoformat(value["datetime"])
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if "money" in value:
        try:
            return format_tenge(Decimal(value["money"]))
        except InvalidOperation:
            return value["money"]
    if "text" in value:
        return translate(value["text"])
    if "i18n" in value:
        names = value["i18n"]
        language = language or get_language() or "kk"
        return pick_name(names, language)
    return ""


def pick_name(names: dict, language: str) -> str:
    """The reader's language, else (for English) the Kazakh name in Latin letters,
    else Kazakh: never Russian for an English reader."""
    from .names import kazakh_latin

    if names.get(language):
        return names[language]
    if language == "en" and names.get("kk"):
        return kazakh_latin(names["kk"])
    return names.get("kk") or next(iter(names.values()), "")


def translate(source) -> str:
    context, msgid = source
    return pgettext(context, msgid) if context else gettext(msgid)


def encode(text, params: dict | None = None) -> dict | None:
    args = getattr(text, "_args", None) if isinstance(text, Promise) else None
    if (  # projects.texts.lazy_format(_("… %(number)s …"), number=…)
        args
        and len(args) == 2
        and isinstance(args[0], Promise)
        and isinstance(args[1], dict)
    ):
        return encode(args[0], args[1])
    kwargs = getattr(text, "_kw", None) if isinstance(text, Promise) else None
    # format_lazy(_("Tranche {n} of grant {number} …"), n=…, number=…)
    if args and len(args) == 1 and isinstance(args[0], Promise):
        inner = encode(args[0], kwargs or {})
        if inner:
            inner["style"] = "format"
        return inner
    source = source_of(text)
    if source is None:
        return None
    return {
        "source": source,
        "params": {k: encode_value(v) for k, v in (params or {}).items()},
    }


def render(stored: dict | None) -> str | None:
    """The stored message in the active language (None when there is none)."""
    if not stored or not stored.get("source"):
        return None
    text = translate(stored["source"])
    params = {k: decode_value(v) for k, v in (stored.get("params") or {}).items()}
    if stored.get("style") == "format":
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return gettext(stored["source"][1]).format(**params)
    if not params:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):  # a catalogue entry lost a placeholder
        return gettext(stored["source"][1]) % params
