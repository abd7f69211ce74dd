"""Roman numerals for forum numbers (the VI regional civil forum)."""

_NUMERALS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def to_roman(number: int) -> str:
    """1 → "I", 2013 → "MMXIII"; numbers outside 1..3999 have no standard form."""
    if not isinstance(number, int) or not 0 < number < 4000:
        raise ValueError(f"{number!r} has no Roman numeral")
    parts = []
    for value, letters in _NUMERALS:
        count, number = divmod(number, value)
        parts.append(letters * count)
    return "".join(parts)
