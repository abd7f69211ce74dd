"""A coming forum announces itself in the resource centre's news, once; a past forum
entered as history does not."""

import datetime

import pytest
from django.utils import timezone

from forums import services
from forums.tests.factories import ForumFactory
from resources.models import NewsItem

pytestmark = pytest.mark.django_db


def test_a_coming_forum_is_announced_once(make_user):
    staff = make_user("staff")
    forum = ForumFactory.build(number=7)
    forum.district.save()
    forum.district_id = forum.district.pk
    services.forum_save(forum=forum, actor=staff)
    services.forum_save(forum=forum, actor=staff)
    news = NewsItem.objects.get()
    assert news.source_key == f"forum:{forum.pk}"
    assert news.title_kk.startswith("VII")
    assert forum.theme_ru in news.body_ru


def test_a_past_forum_is_not_news(make_user):
    forum = ForumFactory.build(
        number=3, starts_on=timezone.localdate() - datetime.timedelta(days=900)
    )
    forum.ends_on = forum.starts_on
    forum.district.save()
    forum.district_id = forum.district.pk
    services.forum_save(forum=forum, actor=make_user("staff"))
    assert not NewsItem.objects.exists()
