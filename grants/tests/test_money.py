from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grants.money import allocate, split_default
from grants.words import amount_in_words

amounts = st.decimals(
    min_value=Decimal("0.01"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
weights = st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=12)


@given(amount=amounts)
def test_default_split_of_any_amount_adds_up_exactly(amount):
    parts = split_default(amount)
    assert sum(parts) == amount
    assert len(parts) == 3
    assert all(p >= 0 for p in parts)
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)


@given(amount=amounts, shares=weights)
def test_any_split_of_any_amount_adds_up_exactly(amount, shares):
    parts = allocate(amount, shares)
    assert sum(parts) == amount
    assert len(parts) == len(shares)
    assert all(p >= 0 for p in parts)


@given(amount=st.decimals(min_value=Decimal(100), max_value=Decimal("1e11"), places=2))
def test_split_of_real_grants_leaves_no_tranche_empty(amount):
    assert all(p > 0 for p in split_default(amount))


def test_default_split_rounds_to_whole_tenge_and_last_takes_the_remainder():
    assert split_default(Decimal("1000001.01")) == [
        Decimal("500000"),
        Decimal("300000"),
        Decimal("200001.01"),
    ]


@pytest.mark.parametrize(
    ("amount", "language", "words"),
    [
        (Decimal("1250000"), "kk", "бір миллион екі жүз елу мың теңге 00 тиын"),
        (
            Decimal("1250000.50"),
            "ru",
            "один миллион двести пятьдесят тысяч тенге 50 тиын",
        ),
        (
            Decimal("311917000"),
            "kk",
            "үш жүз он бір миллион тоғыз жүз он жеті мың теңге 00 тиын",
        ),
        (Decimal("45.07"), "kk", "қырық бес теңге 07 тиын"),
    ],
)
def test_amount_in_words(amount, language, words):
    assert amount_in_words(amount, language) == words
