"""The expert council's journey in a browser: criteria, automatic assignment with a
conflict, scoring, ranking with a disagreement flag, the council's decision, the
minutes PDF in Kazakh, and the applicant's anonymous feedback."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import login
from projects.models import Application
from projects.tests.factories import ApplicationFactory, BudgetLineFactory, CallFactory
from reviews import services
from reviews.models import Assignment, Criterion
from reviews.services import ConflictInput, ScoreInput
from reviews.tests.factories import ExpertProfileFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _new_page(browser, browser_context_args):
    return browser.new_context(**browser_context_args).new_page()


def _score_by_service(assignment, value, recommendation="fund"):
    criteria = Criterion.objects.filter(call=assignment.application.call)
    services.review_save(
        assignment=assignment,
        scores={
            c.pk: ScoreInput(Decimal(value), comment="Жобаның мақсаты нақты")
            for c in criteria
        },
        recommendation=recommendation,
        comment="Жалпы алғанда жақсы жоба",
        submit=True,
    )


def test_council_review_journey(live_server, browser, browser_context_args, make_user):
    # given a call with four admitted applications and four experts,
    # one of whom has declared a family tie with the second applicant
    staff = make_user("staff")
    leader = make_user("ngo_leader")
    call = CallFactory(envelope=Decimal("4000000.00"), max_grant=Decimal("2000000.00"))
    apps = [ApplicationFactory(call=call, admitted=True, created_by=leader)]
    apps += [ApplicationFactory(call=call, admitted=True) for _ in range(3)]
    for a in apps:
        BudgetLineFactory(application=a)
    experts = [ExpertProfileFactory() for _ in range(4)]
    for e in experts[1:3]:
        services.conflicts_declare(expert=e, call=call, conflicts=[])
    services.conflicts_declare(
        expert=experts[3],
        call=call,
        conflicts=[ConflictInput(apps[1].organisation, "family")],
    )

    # when staff put every active expert on the call's panel, copy the default
    # criteria and assign automatically
    page = _new_page(browser, browser_context_args)
    login(page, live_server.url, staff)
    page.goto(f"{live_server.url}/kk/reviews/calls/{call.pk}/")
    page.locator("[data-action=panel-add-all]").click()
    expect(page.locator("[data-council-size]")).to_contain_text("4")
    page.locator("[data-action=copy-template]").click()
    expect(page.locator("#criteria")).to_contain_text("Аудандар мен ауылдарды қамту")
    page.locator("[data-action=auto-assign]").click()
    expect(page.locator(".alert-success")).to_contain_text("12")

    # then every application has three experts and the conflicted one is left out
    for a in apps:
        assert a.review_assignments.count() == 3
    assert not Assignment.objects.filter(
        expert=experts[3], application=apps[1]
    ).exists()

    # when the first expert declares (no conflicts) and scores in the browser
    expert_page = _new_page(browser, browser_context_args)
    login(expert_page, live_server.url, experts[0].user)
    expert_page.goto(f"{live_server.url}/kk/reviews/my/")
    expert_page.get_by_role("link", name="Қақтығыстарды мәлімдеу").click()
    expert_page.locator("input[name=confirm]").check()
    expert_page.get_by_role("button", name="Мәлімдемені жіберу").click()
    mine = Assignment.objects.filter(expert=experts[0], application=apps[0]).first()
    assert mine is not None
    expert_page.goto(f"{live_server.url}/kk/reviews/my/{mine.pk}/")
    for c in Criterion.objects.filter(call=call):
        expert_page.fill(f"input[name=score_{c.pk}]", "9")
        expert_page.fill(f"textarea[name=comment_{c.pk}]", "Мәселе нақты дәлелденген")
    expert_page.select_option("select[name=recommendation]", "fund")
    expert_page.get_by_role("button", name="Сараптаманы тапсыру").click()
    expect(expert_page.locator(".alert-success")).to_contain_text(
        "Сараптамаңыз тапсырылды"
    )
    mine.refresh_from_db()
    assert mine.status == "submitted"

    # and the others score through the service: application 2 splits the experts
    split = Assignment.objects.filter(application=apps[3]).order_by("pk").first()
    for a in Assignment.objects.exclude(pk=mine.pk).select_related("application"):
        if a.application == apps[3]:
            value = 10 if a == split else 2
        elif a.application == apps[2]:
            value = 7
        else:
            value = 8 if a.application == apps[0] else 5
        _score_by_service(a, value, "fund" if value >= 7 else "do_not_fund")

    # then the ranking shows weighted totals and the disagreement flag
    page.goto(f"{live_server.url}/kk/reviews/calls/{call.pk}/ranking/")
    first = page.locator(f"[data-row='{apps[0].pk}']")
    expect(first.locator("[data-totals]")).to_contain_text("90,00")
    expect(first.locator("[data-mean]")).to_have_text("83,33")
    expect(page.locator(f"[data-row='{apps[3].pk}'] [data-disagreement]")).to_have_text(
        "Сарапшылар келіспейді"
    )

    # when the council meets with a quorum (3 of 4) and decides
    page.goto(f"{live_server.url}/kk/reviews/calls/{call.pk}/sessions/new/")
    page.fill("input[name=held_on]", "2026-12-01")
    for e in experts[:2]:
        page.select_option(f"select[name=expert_{e.pk}]", "present")
    page.select_option(f"select[name=expert_{experts[2].pk}]", "remote")
    page.get_by_role("button", name="Отырысты ашу").click()
    page.select_option(f"select[name=app_{apps[0].pk}]", "recommend")
    page.fill(f"input[name=amount_{apps[0].pk}]", "1400000")
    page.select_option(f"select[name=app_{apps[2].pk}]", "recommend_conditions")
    page.fill(f"textarea[name=conditions_{apps[2].pk}]", "Бюджетті нақтылау")
    page.select_option(f"select[name=app_{apps[1].pk}]", "do_not_recommend")
    page.fill(f"textarea[name=reasons_{apps[1].pk}]", "Нәтижелер өлшенбейді")
    page.select_option(f"select[name=app_{apps[3].pk}]", "defer")
    page.get_by_role("button", name="Шешімдерді тіркеу").click()
    expect(page.locator(".alert-success").first).to_contain_text(
        "Кеңестің шешімдері тіркелді"
    )
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == ["recommended", "not_recommended", "recommended", "admitted"]
    assert Application.objects.get(pk=apps[0].pk).approved_amount == Decimal(
        "1400000.00"
    )

    # then the minutes, issued at the close, download in Kazakh
    with page.expect_download() as download_info:
        page.locator("[data-minutes=kk]").click()
    from pypdf import PdfReader

    pdf = PdfReader(download_info.value.path())
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "ХАТТАМА" in text
    assert "Қатысқан кеңес мүшелері" in text

    # and the leader sees the decision and anonymous feedback from the home page
    leader_page = _new_page(browser, browser_context_args)
    login(leader_page, live_server.url, leader)
    leader_page.goto(f"{live_server.url}/kk/")
    leader_page.locator("[data-feedback-link]").first.click()
    expect(leader_page.locator("[data-decision]")).to_have_text("Ұсыну")
    expect(leader_page.locator("[data-feedback]")).to_have_count(3)
    expect(leader_page.locator("[data-feedback]").first).to_contain_text("Сарапшы 1")
    body = leader_page.content()
    for e in experts:
        assert e.user.full_name not in body
