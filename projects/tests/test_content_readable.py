"""The resubmission diff reads numbers as a person does: ``9 ай × 150 000 ₸``."""

import pytest
from django.utils import translation

from projects.content import content_diff


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_budget_diff_formats_quantities_and_money(language):
    # given two snapshots whose budget line changed from 9 to 10 months
    old = {"budget": "staff | Үйлестіруші | 9.00 ай × 150000.00 = 1350000.00 + 0.00"}
    new = {"budget": "staff | Үйлестіруші | 10.00 ай × 150000.00 = 1500000.00 + 0.00"}
    with translation.override(language):
        # when the diff is computed
        (change,) = content_diff(old, new)
    # then the lines show the category label, whole months and formatted tenge
    removed = next(line["text"] for line in change["lines"] if line["op"] == "-")
    assert "| 9 ай × 150\xa0000\xa0₸ = 1\xa0350\xa0000\xa0₸ + 0\xa0₸" in removed
    assert "staff" not in removed
    assert "9.00" not in removed
    assert "9,00" not in removed
