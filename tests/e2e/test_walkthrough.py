"""What a leader, an expert and an official stumble on, walked in Chromium at 1280 px:
the expert reads every section while scoring, the editor shows all its sections, a
returned application lands where staff asked for changes, the menu fits."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from conftest import login
from projects import services as project_services
from projects.models import Application, Attachment
from projects.tests.factories import (
    PDF_BYTES,
    ActivityFactory,
    BudgetLineFactory,
    CallFactory,
    ExpectedResultFactory,
    complete_draft,
    leader_of,
)
from reviews.tests.factories import AssignmentFactory, CriterionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECTIONS = list(Application.SECTIONS)


@pytest.fixture(autouse=True)
def _clean_cache():
    """Cached dashboard figures and filter choices must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _page(browser, browser_context_args, width=1280):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": width, "height": 800}}
    )
    return context.new_page()


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["height"] > 0
    )


def _tab_to(page, name: str, limit: int = 250) -> None:
    """Press Tab until the field ``name`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement && document.activeElement.name")
            == name
        ):
            return
    pytest.fail(f"{name} is not reachable with Tab")


def test_expert_sees_every_section_and_scores_with_the_keyboard(
    live_server, browser, browser_context_args
):
    # given an assignment whose application fills every section
    a = AssignmentFactory(
        application__settlements="Қамыстыбас ауылы",
        # a real application is long: the panel must stay beside what is read
        application__problem="\n\n".join(["Ауылдағы жастар жұмыссыз."] * 40),
    )
    app = a.application
    app.districts.add(app.organisation.district)
    criteria = [CriterionFactory(call=app.call) for _ in range(2)]
    ActivityFactory(application=app, activity="Жастарға арналған семинар")
    ExpectedResultFactory(application=app, indicator="Оқытылған жастар саны")
    BudgetLineFactory(
        application=app, grant_amount=Decimal("1500000"), cofunding=Decimal("300000")
    )
    attachment = Attachment(
        application=app,
        original_name="жарғы.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    attachment.file.save("c.pdf", ContentFile(PDF_BYTES), save=True)

    # when the expert opens the review page at 1280 px
    page = _page(browser, browser_context_args)
    login(page, live_server.url, a.expert.user)
    page.goto(f"{live_server.url}/kk/reviews/my/{a.pk}/")

    # then every section of the application is on the page
    for key in SECTIONS:
        expect(page.locator(f"[data-section='{key}']")).to_be_attached()
    expect(page.locator("[data-section='activities']")).to_contain_text(
        "Жастарға арналған семинар"
    )
    expect(page.locator("[data-section='results']")).to_contain_text(
        "Оқытылған жастар саны"
    )
    expect(page.locator("[data-districts]")).to_contain_text(
        app.organisation.district.name
    )
    expect(page.locator("[data-budget-totals]")).to_contain_text("1 800 000")

    # and the score panel stays in view while the expert reads the results
    page.locator("#review-results").scroll_into_view_if_needed()
    panel = page.locator("[data-score-panel]")
    box = panel.bounding_box()
    assert box is not None
    assert 0 <= box["y"] <= 20

    # and the attachment downloads
    with page.expect_download() as download:
        page.locator("[data-attachments] a").first.click()
    assert download.value.suggested_filename == "жарғы.pdf"

    # when the expert completes the form with the keyboard only, from the top
    page.goto(f"{live_server.url}/kk/reviews/my/{a.pk}/")
    for c in criteria:
        _tab_to(page, f"score_{c.pk}")
        page.keyboard.type("8")
    _tab_to(page, "recommendation")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "submit")
    page.keyboard.press("Enter")

    # then the review is submitted
    expect(page.locator(".alert-success")).to_be_visible()
    a.refresh_from_db()
    assert a.status == "submitted"


def test_editor_shows_all_sections_with_their_state_at_1280(
    live_server, browser, browser_context_args
):
    # given a leader's draft with the budget still empty
    call = CallFactory()
    leader = leader_of()
    draft = complete_draft(
        call=call, organisation=leader.affiliations.first().organisation
    )
    draft.budget_lines.all().delete()

    # when the leader opens the budget section at 1280 px
    page = _page(browser, browser_context_args)
    login(page, live_server.url, leader)
    page.goto(f"{live_server.url}/kk/projects/applications/{draft.pk}/edit/budget/")

    # then all ten sections are visible on screen, the budget one not ticked
    items = page.locator("[data-section-item]")
    expect(items).to_have_count(10)
    for i in range(10):
        expect(items.nth(i)).to_be_visible()
        assert _in_viewport(page, items.nth(i))
    expect(page.locator("[data-section-item='budget']")).to_have_attribute(
        "data-complete", "0"
    )
    expect(page.locator("[data-section-item='problem']")).to_have_attribute(
        "data-complete", "1"
    )
    expect(page.locator("[data-progress]")).to_contain_text("9")
    expect(page.locator("[data-stop-problems]")).to_be_visible()

    # and the budget is a table whose totals follow what is typed
    page.select_option("select[name=rows-0-category]", "events")
    page.fill("input[name=rows-0-item]", "Семинар")
    page.fill("input[name=rows-0-unit]", "күн")
    page.fill("input[name=rows-0-quantity]", "3")
    page.fill("input[name=rows-0-unit_cost]", "500000")
    expect(page.locator("[data-budget-row] [data-line-total]").first).to_contain_text(
        "1 500 000"
    )
    expect(page.locator("[data-sum='total']")).to_contain_text("1 500 000")


def test_returned_application_lands_on_the_reopened_section_and_shows_my_changes(
    live_server, browser, browser_context_args, make_user
):
    # given a submitted application that staff return with a comment on results
    staff = make_user("staff")
    call = CallFactory()
    leader = leader_of()
    draft = complete_draft(
        call=call,
        organisation=leader.affiliations.first().organisation,
        created_by=leader,
    )
    submitted = project_services.application_submit(application=draft, actor=leader)
    project_services.application_return(
        application=submitted,
        actor=staff,
        section_comments={"results": "Көрсеткіштің мақсатты мәнін нақтылаңыз"},
    )

    # when the leader presses «Өңдеуді жалғастыру» on the overview
    page = _page(browser, browser_context_args)
    login(page, live_server.url, leader)
    page.goto(f"{live_server.url}/kk/projects/applications/{draft.pk}/")
    page.locator("[data-continue]").click()

    # then they land on the reopened section, with the staff comment beside it
    expect(page).to_have_url(
        f"{live_server.url}/kk/projects/applications/{draft.pk}/edit/results/"
    )
    expect(page.locator("[data-section-comment]")).to_contain_text(
        "Көрсеткіштің мақсатты мәнін нақтылаңыз"
    )
    expect(
        page.locator("[data-section-item='results'] [data-reopened]")
    ).to_be_visible()

    # when they change the target and go to see their changes
    page.fill("input[name=rows-0-target]", "250")
    page.locator("button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("[data-review-changes]").click()

    # then the overview shows their own diff before they resubmit
    diff = page.locator("[data-diff]")
    expect(diff).to_be_visible()
    expect(diff.locator("[data-op=added]")).to_contain_text("250")
    expect(page.locator("[data-submit]")).to_be_visible()


@pytest.mark.parametrize(
    "role", ["ngo_leader", "expert", "staff", "fund_officer", "official", "admin"]
)
def test_main_menu_fits_on_one_line_at_1280(
    live_server, browser, browser_context_args, make_user, role
):
    page = _page(browser, browser_context_args)
    login(page, live_server.url, make_user(role))
    page.goto(f"{live_server.url}/kk/")
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    tops = page.eval_on_selector_all(
        "#mainnav .nav-link",
        "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
    )
    assert len(set(tops)) == 1, tops
    right = page.eval_on_selector_all(
        "#mainnav .nav-link",
        "els => Math.max(...els.map(e => e.getBoundingClientRect().right))",
    )
    assert right <= 1280


def test_dashboard_shows_an_empty_quarter_as_zero_in_chart_and_table(
    live_server, browser, browser_context_args, make_user
):
    # given money paid or spent in 2024 Q1, Q2 and Q4 but nothing in Q3
    from dashboard.tests.factories import seed_world

    seed_world()
    page = _page(browser, browser_context_args)
    login(page, live_server.url, make_user("official"))

    # when the official opens the dashboard at 1280 px
    page.goto(f"{live_server.url}/kk/dashboard/")

    # then Q3 is a row of zeros in the table and a point of the chart
    row = page.locator("[data-table=quarters] tr", has_text="2024 Q3")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_contain_text("0")
    labels = page.evaluate(
        "JSON.parse(document.getElementById('dashboard-data').textContent)"
        ".quarters.labels"
    )
    assert labels[:4] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    # and the district chart says how a project is counted
    expect(page.locator("[data-district-note]")).to_be_visible()
    # and the theme and funder tables are not cut: no horizontal scroll
    for name in ("themes", "funders"):
        overflow = page.eval_on_selector(
            f"[data-table={name}]",
            "t => t.parentElement.scrollWidth - t.parentElement.clientWidth",
        )
        assert overflow <= 0, name


def test_leader_completes_editor_sections_with_the_keyboard_only(
    live_server, browser, browser_context_args
):
    # given a leader's draft
    leader = leader_of()
    draft = complete_draft(
        call=CallFactory(), organisation=leader.affiliations.first().organisation
    )
    page = _page(browser, browser_context_args)
    login(page, live_server.url, leader)
    page.goto(f"{live_server.url}/kk/projects/applications/{draft.pk}/edit/problem/")

    # when they reach the text with Tab, type, and press "Save and continue" with Enter
    _tab_to(page, "problem")
    page.keyboard.press("Control+A")
    page.keyboard.type("Пернетақтамен жазылған мәселе.")
    _tab_to(page, "next")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # then the next section opens and its fields are reachable the same way
    assert page.url.endswith("/edit/goals/")
    _tab_to(page, "goals")
    page.keyboard.press("Control+A")
    page.keyboard.type("Пернетақтамен жазылған мақсат.")
    _tab_to(page, "save")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # and both texts are stored and shown after a reload
    draft.refresh_from_db()
    assert draft.problem == "Пернетақтамен жазылған мәселе."
    assert draft.goals == "Пернетақтамен жазылған мақсат."
    page.reload()
    expect(page.locator("[name=goals]")).to_have_value("Пернетақтамен жазылған мақсат.")
