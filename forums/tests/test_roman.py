import pytest

from forums.roman import to_roman


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "I"),
        (3, "III"),
        (4, "IV"),
        (6, "VI"),
        (7, "VII"),
        (9, "IX"),
        (14, "XIV"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (1994, "MCMXCIV"),
        (2013, "MMXIII"),
        (3999, "MMMCMXCIX"),
    ],
)
def test_to_roman_writes_standard_numerals(number, expected):
    # given a number / when written in Roman numerals / then the standard form
    assert to_roman(number) == expected


@pytest.mark.parametrize("number", [0, -1, 4000, 2.5])
def test_to_roman_refuses_numbers_without_a_numeral(number):
    with pytest.raises(ValueError, match="no Roman numeral"):
        to_roman(number)
