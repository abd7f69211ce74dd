"""The resource centre in a real browser: staff publish a pinned news item and a
member sees it on their home page; a leader asks a question, staff answer it, and the
leader reads the answer and rates it."""

import re

import pytest

from conftest import login
from members.models import Affiliation
from members.tests.factories import MembershipPeriodFactory, OrganisationFactory
from resources.models import Consultation, NewsItem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBMIT = "main form button[type=submit]:not([name])"


def _member_leader(make_user):
    leader = make_user("ngo_leader")
    organisation = OrganisationFactory()
    MembershipPeriodFactory(organisation=organisation)
    Affiliation.objects.create(
        user=leader, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    return leader


def test_staff_publish_news_a_member_sees_it_on_the_home_page(
    page, browser, live_server, make_user
):
    base = live_server.url
    staff = make_user("staff")
    leader = _member_leader(make_user)
    # given staff write a pinned members-only news item and publish it
    login(page, base, staff)
    page.goto(f"{base}/kk/resources/news/new/")
    page.fill("#id_title_kk", "Мүше ұйымдардың жалпы жиналысы")
    page.fill("#id_title_ru", "Общее собрание организаций-членов")
    page.fill("#id_body_kk", "Жиналыс 12 желтоқсанда сағат 10:00-де өтеді.")
    page.fill("#id_body_ru", "Собрание пройдёт 12 декабря в 10:00.")
    page.select_option("#id_audience", "members")
    page.check("#id_pinned")
    page.check("#id_publish")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/resources/news/\d+/$"))
    news = NewsItem.objects.get()
    assert news.is_published
    assert news.pinned
    assert news.author == staff
    # when a member NGO's leader opens their home page
    context = browser.new_context(locale="kk-KZ")
    member = context.new_page()
    login(member, base, leader)
    member.goto(f"{base}/kk/")
    # then the pinned news is there, and it opens
    pinned = member.locator(f'[data-panel="pinned-news"] [data-news="{news.pk}"]')
    assert "Мүше ұйымдардың жалпы жиналысы" in pinned.inner_text()
    pinned.locator("a").click()
    member.wait_for_url(re.compile(rf"/kk/resources/news/{news.pk}/$"))
    assert "12 желтоқсанда" in member.inner_text("main")
    # and a visitor does not see a members-only item
    visitor = browser.new_context(locale="kk-KZ").new_page()
    visitor.goto(f"{base}/kk/")
    assert "Мүше ұйымдардың жалпы жиналысы" not in visitor.inner_text("main")
    context.close()


def test_leader_asks_staff_answer_leader_rates(page, browser, live_server, make_user):
    base = live_server.url
    staff = make_user("staff")
    leader = _member_leader(make_user)
    # given a leader asks the resource centre about reporting
    login(page, base, leader)
    page.goto(f"{base}/kk/resources/consultations/ask/")
    page.select_option("#id_topic", "reporting")
    page.fill("#id_question", "Аралық есепке қандай құжаттарды қоса береміз?")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/resources/consultations/\d+/$"))
    consultation = Consultation.objects.get()
    assert consultation.status == "open"
    # when staff open it and answer
    staff_page = browser.new_context(locale="kk-KZ").new_page()
    login(staff_page, base, staff)
    staff_page.goto(f"{base}/kk/resources/consultations/")
    staff_page.click(f'[data-consultation="{consultation.pk}"]')
    staff_page.fill("#id_answer", "Шарт, шот-фактура және орындалған жұмыстар актісі.")
    staff_page.click('form[data-form="answer"] button')
    staff_page.wait_for_selector("[data-answer]")
    # then the leader sees the answer and rates it
    page.reload()
    assert "орындалған жұмыстар актісі" in page.inner_text("[data-answer]")
    page.check('form[data-form="rate"] input[name="rating"][value="5"]')
    page.click('form[data-form="rate"] button')
    page.wait_for_selector('[data-rating="5"]')
    consultation.refresh_from_db()
    assert (consultation.status, consultation.rating) == ("answered", 5)
    assert consultation.answer.startswith("Шарт, шот-фактура")
