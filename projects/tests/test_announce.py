"""An opened call announces itself in the resource centre's news, once."""

import pytest

from projects.models import Call
from projects.services.calls import call_change_status
from projects.tests.factories import CallFactory
from resources.models import NewsItem

pytestmark = pytest.mark.django_db


def test_opening_a_call_publishes_one_news_item(make_user):
    staff = make_user("staff")
    call = CallFactory(status=Call.Status.DRAFT, title_kk="Ауыл жастары")
    call_change_status(call=call, to_status=Call.Status.OPEN, actor=staff)
    call_change_status(call=call, to_status=Call.Status.CLOSED, actor=staff)
    call_change_status(call=call, to_status=Call.Status.OPEN, actor=staff)
    news = NewsItem.objects.get()
    assert news.source_key == f"call:{call.pk}"
    assert "Ауыл жастары" in news.title_kk
    assert "20\u00a0000\u00a0000\u00a0₸" in news.body_kk
    assert news.is_published
    assert news.audience == "public"


def test_a_draft_call_is_not_news(make_user):
    CallFactory(status=Call.Status.DRAFT)
    assert not NewsItem.objects.exists()
