"""Quotes inside quotes. Names here often carry their own guillemets («Игілік» қоры);
put inside «…» they would read ««Игілік» қоры». Kazakh and Russian typography nests
them as „…“ instead: «„Игілік“ қорының конкурсы»."""

from django.utils.safestring import SafeString, mark_safe

INNER = str.maketrans({"«": "„", "»": "“"})


def nested_quotes(text) -> str:
    """``text`` ready to be put between «…»: its own guillemets become „…“."""
    if text is None:
        return ""
    result = str(text).translate(INNER)
    # Translating quotes cannot add markup: safe text stays safe.
    return mark_safe(result) if isinstance(text, SafeString) else result
