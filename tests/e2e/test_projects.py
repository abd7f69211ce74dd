"""The application journey in a real browser: a leader writes, leaves, resumes,
attaches, submits and downloads the PDF; staff return it; the leader fixes it; staff
see the change and admit it to expert review."""

import re

import pytest
from playwright.sync_api import expect

from conftest import login
from members.tests.factories import (
    OrganisationFactory,
    UserFactory,
)
from projects.models import Application
from projects.tests.factories import (
    PDF_BYTES,
    CallFactory,
    RequiredDocumentFactory,
    leader_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_row(page, index, values):
    for name, value in values.items():
        selector = f"[name='rows-{index}-{name}']"
        if name == "category":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def _next(page):
    page.click("button[name=next]")
    page.wait_for_load_state()


def test_leader_writes_submits_and_staff_return_then_admit(
    page, browser, live_server, tmp_path
):
    # given an open call that needs the charter, a leader and a staff member
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    staff = UserFactory(role="staff")
    call = CallFactory(min_grant=1_000_000, max_grant=5_000_000)
    charter = RequiredDocumentFactory(call=call, name_kk="Жарғы", name_ru="Устав")
    url = live_server.url

    # when the leader starts an application and fills the sections
    login(page, url, leader)
    page.goto(f"{url}/kk/projects/calls/{call.pk}/")
    page.click("form[action$='/apply/'] button[type=submit]")
    page.fill("#id_title", "Арал жастарына IT-үйірме")
    page.check(f"input[name=districts][value='{organisation.district_id}']")
    page.fill("#id_settlements", "Арал қаласы")
    page.fill("#id_requested_amount", "1400000")
    # the draft saves itself and says when
    expect(page.locator("#save-status [data-save-state=saved]")).to_be_visible(
        timeout=10_000
    )
    expect(page.locator("#save-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    _next(page)
    page.fill("#id_problem", "Ауыл жастарының бос уақыты ұйымдастырылмаған.")
    _next(page)
    page.fill("#id_goals", "120 жасөспірімді цифрлық сауаттылыққа үйрету.")
    _next(page)
    page.fill("#id_target_group", "14–18 жастағы жасөспірімдер")
    page.fill("#id_beneficiaries_direct", "120")
    page.fill("#id_beneficiaries_indirect", "500")
    _next(page)
    _fill_row(
        page,
        0,
        {
            "activity": "Сабақтар",
            "start": "2027-03-01",
            "end": "2027-11-30",
            "responsible": "Тренер",
        },
    )
    _next(page)
    _fill_row(page, 0, {"indicator": "Оқытылғандар", "baseline": "0", "target": "120"})
    _next(page)
    page.fill("#id_sustainability", "Мектеп жалғастырады.")
    page.fill("#id_team", "Үйлестіруші және екі тренер.")
    page.fill("#id_experience", "Үш жоба.")
    _next(page)
    budget = [
        ("staff", "Тренер", "ай", "3", "200000", "0"),
        ("events", "Семинар", "іс-шара", "2", "400000", "100000"),
        ("equipment", "Проектор", "дана", "1", "100000", "0"),
    ]
    for i, (cat, item, unit, qty, cost, cof) in enumerate(budget):
        _fill_row(
            page,
            i,
            {
                "category": cat,
                "item": item,
                "unit": unit,
                "quantity": qty,
                "unit_cost": cost,
                "cofunding": cof,
            },
        )
    page.click("button[name=save]")
    page.wait_for_load_state()
    expect(page.locator("[data-total=grant]")).to_contain_text("1 400 000")

    # and leaves, comes back later and finds the draft in "my applications"
    page.goto(f"{url}/kk/")
    page.goto(f"{url}/kk/projects/my/")
    page.click("[data-application]")
    expect(page.locator("[data-section=budget]")).to_contain_text("Проектор")

    # and attaches the charter as a PDF
    application = Application.objects.get(organisation=organisation)
    page.goto(f"{url}/kk/projects/applications/{application.pk}/edit/attachments/")
    pdf = tmp_path / "charter.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.select_option("#id_required_document", str(charter.pk))
    page.set_input_files("#id_file", str(pdf))
    page.click("form[enctype] button[type=submit]")
    expect(page.locator("[data-attachment]")).to_contain_text("charter.pdf")

    # and submits it
    page.goto(f"{url}/kk/projects/applications/{application.pk}/")
    page.click("[data-submit]")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    expect(page.locator("body")).to_contain_text(application.number)

    # and downloads its PDF
    page.click("form[action$='/pdf/'] button[type=submit]")
    with page.expect_download() as download_info:
        page.click("a[href*='/download/']")
    assert download_info.value.suggested_filename.endswith(".pdf")

    # then staff return it with a comment on the budget section
    staff_page = browser.new_context(locale="kk-KZ").new_page()
    login(staff_page, url, staff)
    staff_page.goto(f"{url}/kk/projects/screening/{application.pk}/")
    staff_page.fill("#id_section_budget", "Проектордың бағасын негіздеңіз.")
    staff_page.click("[data-action=return]")
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED

    # and the leader sees the comment, fixes the budget and resubmits
    page.goto(f"{url}/kk/projects/applications/{application.pk}/edit/budget/")
    expect(page.locator("[data-section-comment]")).to_contain_text("Проектор")
    page.fill("[name='rows-2-item']", "Проектор (нарықтық баға)")
    page.click("button[name=save]")
    page.wait_for_load_state()
    page.goto(f"{url}/kk/projects/applications/{application.pk}/")
    page.click("[data-submit]")
    application.refresh_from_db()
    assert application.status == Application.Status.RESUBMITTED

    # and staff see what changed and admit it to expert review
    staff_page.goto(f"{url}/kk/projects/screening/{application.pk}/")
    expect(staff_page.locator("[data-diff] [data-op=added]")).to_contain_text(
        "нарықтық баға"
    )
    staff_page.click("[data-action=admit]")
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
