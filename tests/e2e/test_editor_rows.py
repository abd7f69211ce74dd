"""Nothing an NGO types in a table section is ever lost.

Each test types rows as a person does, waits for the editor's autosave status, presses
the real buttons, reloads and checks every value on the page and in the database. The
worst bug so far (every row gone after an autosave followed by "save and continue")
passed every test that did not type and wait."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import login
from members.tests.factories import OrganisationFactory
from projects.models import Application, BudgetLine
from projects.tests.factories import ApplicationFactory, CallFactory, leader_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Three rows per table section, typed into the inputs named ``rows-<i>-<field>``.
ROWS = {
    "activities": [
        {
            "activity": "Сабақтар",
            "start": "2027-03-01",
            "end": "2027-05-31",
            "responsible": "Тренер",
        },
        {
            "activity": "Жазғы лагерь",
            "start": "2027-06-01",
            "end": "2027-06-30",
            "responsible": "Үйлестіруші",
        },
        {
            "activity": "Қорытынды форум",
            "start": "2027-11-01",
            "end": "2027-11-02",
            "responsible": "Жоба жетекшісі",
        },
    ],
    "results": [
        {"indicator": "Оқытылғандар", "baseline": "0", "target": "120"},
        {"indicator": "Лагерь қатысушылары", "baseline": "10", "target": "60"},
        {"indicator": "Форум қатысушылары", "baseline": "0", "target": "200"},
    ],
    "budget": [
        {
            "category": "staff",
            "item": "Тренер",
            "unit": "ай",
            "quantity": "3",
            "unit_cost": "200000",
            "cofunding": "0",
        },
        {
            "category": "events",
            "item": "Семинар",
            "unit": "іс-шара",
            "quantity": "2",
            "unit_cost": "400000",
            "cofunding": "100000",
        },
        {
            "category": "equipment",
            "item": "Проектор",
            "unit": "дана",
            "quantity": "1",
            "unit_cost": "100000",
            "cofunding": "0",
        },
    ],
}
EXTRA_ROW = {
    "activities": {
        "activity": "Есеп",
        "start": "2027-12-01",
        "end": "2027-12-10",
        "responsible": "Бухгалтер",
    },
    "results": {"indicator": "Жарияланымдар", "baseline": "0", "target": "5"},
    "budget": {
        "category": "publications",
        "item": "Баннер",
        "unit": "дана",
        "quantity": "4",
        "unit_cost": "15000",
        "cofunding": "0",
    },
}
# The field that names a row, to compare with the database.
KEY = {"activities": "activity", "results": "indicator", "budget": "item"}
RELATED = {
    "activities": "activities",
    "results": "results",
    "budget": "budget_lines",
}


def _fill_row(page, index, values):
    for name, value in values.items():
        selector = f"[name='rows-{index}-{name}']"
        if name == "category":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def _stored(application, section):
    application.refresh_from_db()
    return list(
        getattr(application, RELATED[section])
        .order_by("order", "pk")
        .values_list(KEY[section], flat=True)
    )


def _wait_for_autosave(page, application, section, expected):
    """Wait for the status to say "saved" and for the last queued autosave to land.

    htmx waits 1.5 s after the last keystroke; the status may already say "saved" for
    an earlier autosave while a later one is pending, so also wait (never assert) for
    the database to hold what was typed."""
    expect(page.locator("#save-status [data-save-state=saved]")).to_be_visible(
        timeout=15_000
    )
    for _ in range(60):
        if _stored(application, section) == expected:
            return
        page.wait_for_timeout(250)


def _assert_rows_kept(page, application, section, rows):
    names = [r[KEY[section]] for r in rows]
    # in the database, in order
    assert _stored(application, section) == names
    # and on the page after a reload
    page.goto(
        f"{page.url.split('/kk/')[0]}/kk/projects/applications/"
        f"{application.pk}/edit/{section}/"
    )
    for i, row in enumerate(rows):
        for name, value in row.items():
            locator = page.locator(f"[name='rows-{i}-{name}']")
            if name in ("quantity", "unit_cost", "cofunding"):
                assert Decimal(locator.input_value()) == Decimal(value)
            else:
                expect(locator).to_have_value(value)


def _draft_for(leader_org):
    organisation, leader = leader_org
    return ApplicationFactory(
        call=CallFactory(), organisation=organisation, created_by=leader
    )


@pytest.fixture
def leader_org(db):
    organisation = OrganisationFactory()
    return organisation, leader_of(organisation)


@pytest.mark.parametrize("button", ["save", "next", "add_row"])
@pytest.mark.parametrize("section", ["activities", "results", "budget"])
def test_rows_typed_then_autosaved_survive_every_button(
    page, live_server, leader_org, section, button
):
    # given a leader with an empty draft
    application = _draft_for(leader_org)
    login(page, live_server.url, leader_org[1])
    page.goto(
        f"{live_server.url}/kk/projects/applications/{application.pk}/edit/{section}/"
    )

    # when they type three rows and wait for the editor to say "saved"
    for i, row in enumerate(ROWS[section]):
        _fill_row(page, i, row)
    _wait_for_autosave(
        page, application, section, [r[KEY[section]] for r in ROWS[section]]
    )
    # and then press the button
    page.click(f"button[name={button}]")
    page.wait_for_load_state()

    # then every row is in the database and on the page after a reload
    _assert_rows_kept(page, application, section, ROWS[section])


@pytest.mark.parametrize("section", ["activities", "budget"])
def test_row_added_after_autosave_and_deleted_row_are_kept(
    page, live_server, leader_org, section
):
    # given three rows typed and autosaved, then "save and add a row"
    application = _draft_for(leader_org)
    login(page, live_server.url, leader_org[1])
    url = f"{live_server.url}/kk/projects/applications/{application.pk}/edit/{section}/"
    page.goto(url)
    rows = ROWS[section]
    for i, row in enumerate(rows):
        _fill_row(page, i, row)
    names = [r[KEY[section]] for r in rows]
    _wait_for_autosave(page, application, section, names)
    page.click("button[name=add_row]")
    page.wait_for_load_state()

    # when a fourth row is typed, autosaved, and "save" is pressed
    _fill_row(page, 3, EXTRA_ROW[section])
    _wait_for_autosave(
        page, application, section, [*names, EXTRA_ROW[section][KEY[section]]]
    )
    page.click("button[name=save]")
    page.wait_for_load_state()

    # then the four rows are kept
    _assert_rows_kept(page, application, section, [*rows, EXTRA_ROW[section]])

    # when the second row is deleted, autosaved and saved
    page.check("[name='rows-1-DELETE']")
    kept = [rows[0], rows[2], EXTRA_ROW[section]]
    _wait_for_autosave(page, application, section, [r[KEY[section]] for r in kept])
    page.click("button[name=save]")
    page.wait_for_load_state()

    # then only that row is gone
    _assert_rows_kept(page, application, section, kept)


def test_back_button_and_second_tab(page, browser, live_server, leader_org):
    # given three activities typed, autosaved and "save and continue" pressed
    application = _draft_for(leader_org)
    login(page, live_server.url, leader_org[1])
    url = (
        f"{live_server.url}/kk/projects/applications/{application.pk}/edit/activities/"
    )
    page.goto(url)
    rows = [dict(r) for r in ROWS["activities"]]
    for i, row in enumerate(rows):
        _fill_row(page, i, row)
    _wait_for_autosave(page, application, "activities", [r["activity"] for r in rows])
    page.click("button[name=next]")
    page.wait_for_load_state()

    # when the leader goes back, changes a row and the editor autosaves
    page.go_back()
    page.wait_for_load_state()
    rows[1]["responsible"] = "Екі тренер"
    page.fill("[name='rows-1-responsible']", rows[1]["responsible"])
    expect(page.locator("#save-status [data-save-state=saved]")).to_be_visible(
        timeout=15_000
    )
    page.click("button[name=save]")
    page.wait_for_load_state()

    # then nothing is lost
    _assert_rows_kept(page, application, "activities", rows)
    assert application.activities.get(order=1).responsible == "Екі тренер"

    # when a second tab, opened before, types over the first one
    second = page.context.new_page()
    second.goto(url)
    rows[0]["responsible"] = "Бірінші қойынды"
    page.fill("[name='rows-0-responsible']", rows[0]["responsible"])
    _wait_for_autosave(page, application, "activities", [r["activity"] for r in rows])
    expect(page.locator("#save-status [data-save-state=saved]")).to_be_visible()
    second.fill("[name='rows-0-responsible']", "Екінші қойынды")

    # then the second tab is told about the conflict and overwrites nothing
    expect(
        second.locator("#save-status [data-save-state=conflict-short]")
    ).to_be_visible(timeout=15_000)
    second.click("button[name=save]")
    second.wait_for_load_state()
    expect(second.locator("#conflict-area")).to_contain_text("Екінші қойынды")
    assert application.activities.get(order=0).responsible == "Бірінші қойынды"
    assert application.activities.count() == 3


def test_returned_application_reopened_for_revision_keeps_rows(
    page, live_server, leader_org
):
    # given an application returned with its budget re-opened, holding three lines
    organisation, leader = leader_org
    application = ApplicationFactory(
        call=CallFactory(),
        organisation=organisation,
        created_by=leader,
        status=Application.Status.RETURNED,
        number="IG-2026-0777",
        reopened_sections=["budget"],
    )
    for order, row in enumerate(ROWS["budget"]):
        quantity, cost = Decimal(row["quantity"]), Decimal(row["unit_cost"])
        cofunding = Decimal(row["cofunding"])
        BudgetLine.objects.create(
            application=application,
            order=order,
            category=row["category"],
            item=row["item"],
            unit=row["unit"],
            quantity=quantity,
            unit_cost=cost,
            cofunding=cofunding,
            grant_amount=quantity * cost - cofunding,
        )
    login(page, live_server.url, leader)
    page.goto(
        f"{live_server.url}/kk/projects/applications/{application.pk}/edit/budget/"
    )

    # when the leader revises one line, autosaves, adds a row, types it, autosaves
    rows = [dict(r) for r in ROWS["budget"]]
    rows[2]["item"] = "Проектор (нарықтық баға)"
    page.fill("[name='rows-2-item']", rows[2]["item"])
    _wait_for_autosave(page, application, "budget", [r["item"] for r in rows])
    page.click("button[name=add_row]")
    page.wait_for_load_state()
    _fill_row(page, 3, EXTRA_ROW["budget"])
    rows.append(EXTRA_ROW["budget"])
    _wait_for_autosave(page, application, "budget", [r["item"] for r in rows])
    # and presses "save"
    page.click("button[name=save]")
    page.wait_for_load_state()

    # then the four lines are kept, the revision included
    _assert_rows_kept(page, application, "budget", rows)
