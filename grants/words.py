"""Amounts in words for contracts: Kazakh and Russian, tenge and tiyn."""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from alliance_portal.money import to_money

# num2words ships Kazakh as "kz" (checked: 1 250 000 → "бір миллион екі жүз елу мың").
LANG = {"kk": "kz", "ru": "ru", "en": "en"}
CURRENCY = {
    "kk": ("теңге", "тиын"),
    "ru": ("тенге", "тиын"),
    "en": ("tenge", "tiyn"),
}


def amount_in_words(amount, language: str = "kk") -> str:
    """``1250000.50`` → ``бір миллион екі жүз елу мың теңге 50 тиын``."""
    value = to_money(amount)
    tenge = int(value)
    tiyn = int((value - Decimal(tenge)) * 100)
    lang = language if language in LANG else "ru"
    words = num2words(tenge, lang=LANG[lang])
    unit, cents = CURRENCY[lang]
    return f"{words} {unit} {tiyn:02d} {cents}"
