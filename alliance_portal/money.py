"""Money in tenge: Decimal with two places, formatted by the active locale."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Quantize to tiyn; refuses floats so that binary rounding never enters money."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_tenge(value) -> str:
    """``1250000`` → ``1 250 000 ₸``; kopecks (tiyn) shown only when present."""
    if value in (None, ""):
        return ""
    amount = to_money(value)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{number_format(amount, places, use_l10n=True, force_grouping=True)}\xa0₸"


def format_quantity(value) -> str:
    """``Decimal("9.00")`` → ``9``, ``Decimal("2.50")`` → ``2,5``: a count or a
    number of months reads without the trailing zeros of its database column."""
    if value in (None, ""):
        return ""
    if isinstance(value, float):
        value = Decimal(str(value))
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent)
    return number_format(number, places, use_l10n=True, force_grouping=True)
