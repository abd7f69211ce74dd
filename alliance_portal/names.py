"""Content typed in Kazakh and Russian (sometimes English), shown in the reader's language.

The defined fallback: Kazakh → Russian when the Kazakh is missing; Russian → Kazakh;
English → the English text when there is one, else the Kazakh name in the Latin
alphabet (2021 standard) for names, else the Kazakh text. English never falls back to
Russian: the region's names are Kazakh ("Qyzylorda", "Aral", "Şielı").
"""

from __future__ import annotations

from django.utils.translation import get_language

_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
    "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
    "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
}  # fmt: skip


def kazakh_latin(text: str) -> str:
    """``Қызылорда`` → ``Qyzylorda``: the Kazakh Latin alphabet of 2021."""
    out = []
    for char in text:
        lower = char.lower()
        latin = _LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower:
            out.append(latin[:1].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def localized(obj, field: str, *, name: bool = True, language: str | None = None):
    """``obj.<field>_kk/_ru/_en`` in the active language with the fallback above;
    ``name=False`` for long texts, which English reads in Kazakh, untransliterated."""
    language = (language or get_language() or "kk")[:2]
    kk = getattr(obj, f"{field}_kk", "") or ""
    ru = getattr(obj, f"{field}_ru", "") or ""
    en = getattr(obj, f"{field}_en", "") or ""
    if language == "ru":
        return ru or kk
    if language == "en":
        if en:
            return en
        if kk:
            return kazakh_latin(kk) if name else kk
        return ru
    return kk or ru


def names_of(obj, field: str = "name") -> dict:
    """The mapping a notification stores, so that each reader gets their language."""
    return {
        code: getattr(obj, f"{field}_{code}", "") or ""
        for code in ("kk", "ru", "en")
        if getattr(obj, f"{field}_{code}", "")
    }


_MONTHS_ABLATIVE = (
    "қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан",
    "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан",
)  # fmt: skip
_MONTHS_DATIVE = (
    "қаңтарға", "ақпанға", "наурызға", "сәуірге", "мамырға", "маусымға",
    "шілдеге", "тамызға", "қыркүйекке", "қазанға", "қарашаға", "желтоқсанға",
)  # fmt: skip


def date_from(day) -> str:
    """Kazakh "from" date with its case ending: «2026 жылғы 10 желтоқсаннан» (the
    sentence adds «бастап»); other languages: ``10.12.2026``."""
    if (get_language() or "kk")[:2] != "kk":
        return day.strftime("%d.%m.%Y")
    return f"{day.year} жылғы {day.day} {_MONTHS_ABLATIVE[day.month - 1]}"


def date_until(day) -> str:
    """Kazakh "until" date: «2027 жылғы 18 маусымға» (the sentence adds «дейін»)."""
    if (get_language() or "kk")[:2] != "kk":
        return day.strftime("%d.%m.%Y")
    return f"{day.year} жылғы {day.day} {_MONTHS_DATIVE[day.month - 1]}"
