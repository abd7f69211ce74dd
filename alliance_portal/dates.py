"""Dates in running text of official documents, where Kazakh puts the case ending on
the month: «2026 жылғы 10 желтоқсаннан бастап 2027 жылғы 18 маусымға дейін»."""

from __future__ import annotations

import datetime

# Month → (nominative, ablative «-нан», dative «-ға», locative-attributive «-дағы»),
# following vowel harmony and the last consonant of each name.
_KK_MONTHS = (
    ("қаңтар", "қаңтардан", "қаңтарға", "қаңтардағы"),
    ("ақпан", "ақпаннан", "ақпанға", "ақпандағы"),
    ("наурыз", "наурыздан", "наурызға", "наурыздағы"),
    ("сәуір", "сәуірден", "сәуірге", "сәуірдегі"),
    ("мамыр", "мамырдан", "мамырға", "мамырдағы"),
    ("маусым", "маусымнан", "маусымға", "маусымдағы"),
    ("шілде", "шілдеден", "шілдеге", "шілдедегі"),
    ("тамыз", "тамыздан", "тамызға", "тамыздағы"),
    ("қыркүйек", "қыркүйектен", "қыркүйекке", "қыркүйектегі"),
    ("қазан", "қазаннан", "қазанға", "қазандағы"),
    ("қараша", "қарашадан", "қарашаға", "қарашадағы"),
    ("желтоқсан", "желтоқсаннан", "желтоқсанға", "желтоқсандағы"),
)
_KK_CASES = {"": 0, "from": 1, "to": 2, "of": 3}
_RU_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def kk_date(value: datetime.date, case: str = "") -> str:
    """``case``: "" → «2026 жылғы 10 желтоқсан», "from" → «…желтоқсаннан»,
    "to" → «…желтоқсанға», "of" → «…желтоқсандағы»."""
    month = _KK_MONTHS[value.month - 1][_KK_CASES[case]]
    return f"{value.year} жылғы {value.day} {month}"


def ru_date(value: datetime.date) -> str:
    """«10 декабря 2026 г.»"""
    return f"{value.day} {_RU_MONTHS[value.month - 1]} {value.year} г."


def long_date(value: datetime.date, language: str, case: str = "") -> str:
    return kk_date(value, case) if language == "kk" else ru_date(value)
