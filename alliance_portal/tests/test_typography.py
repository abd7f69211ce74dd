from django.template import Context, Template
from django.utils.safestring import mark_safe

from alliance_portal.typography import nested_quotes


def test_a_quoted_name_inside_quotes_is_nested_not_doubled():
    html = Template("{% load portal %}«{{ t|nested_quotes }}»").render(
        Context({"t": "«Игілік» қорының конкурсы"})
    )
    assert html == "«„Игілік“ қорының конкурсы»"
    assert "««" not in html


def test_nested_quotes_keeps_plain_text_and_safety():
    assert nested_quotes("Жастар") == "Жастар"
    assert nested_quotes(None) == ""
    assert hasattr(nested_quotes(mark_safe("«А»")), "__html__")
