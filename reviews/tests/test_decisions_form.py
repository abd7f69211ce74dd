"""The open session's decision form writes its rows itself (reviews.forms)."""

from decimal import Decimal

from django.utils import translation

from projects.models import Application
from reviews.forms import DecisionsForm


def _applications():
    return [
        Application(
            pk=7,
            number="BR-007",
            title='«Жастар» <script>alert(1)</script> & "бірлік"',
            requested_amount=Decimal("5000000.00"),
        ),
        Application(
            pk=12, number="BR-012", title="Ауыл", requested_amount=Decimal("1250.50")
        ),
    ]


def test_the_empty_form_writes_the_markup_a_posted_one_would():
    """The form shown to be filled in joins one shared markup per row; a posted
    form without errors writes each row from its data. Same rows, same escaping."""
    apps = _applications()
    with translation.override("kk"):
        shown = DecisionsForm(applications=apps).rendered_rows()
        posted = DecisionsForm(
            {f"amount_{a.pk}": str(a.requested_amount) for a in apps},
            applications=apps,
        )
        assert posted.is_valid()
        assert shown == posted.rendered_rows()
    assert shown.count("<fieldset") == 2
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown
    assert 'name="amount_12" id="id_amount_12" value="1250.50"' in shown
    assert "\x00" not in shown


def test_a_refused_row_shows_what_was_typed_and_its_error():
    apps = _applications()
    form = DecisionsForm(
        {"app_7": "recommend", "amount_7": "-5", "reasons_7": "<b>себеп</b>"},
        applications=apps,
    )
    assert not form.is_valid()
    html = form.rendered_rows()
    assert '<option value="recommend" selected>' in html
    assert 'value="-5"' in html
    assert "&lt;b&gt;себеп&lt;/b&gt;</textarea>" in html
    assert "is-invalid" in html
