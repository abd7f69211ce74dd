"""Browser journeys of the foundation: every role logs in and lands on its home page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOME_HEADINGS_KK = {
    "ngo_leader": "Менің ұйымым",
    "expert": "Менің сараптамаларым",
    "staff": "Альянс хатшылығы",
    "fund_officer": "«Игілік» корпоративтік қоры",
    "official": "Әкімдікке арналған шолу",
    "admin": "Әкімшілік",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS_KK))
def test_each_role_logs_in_and_lands_on_its_home_page(
    page, make_user, browser_login, role
):
    # given a user of the role (with TOTP where the role requires it)
    user = make_user(role)
    # when they log in through the form, in Kazakh
    browser_login(page, user)
    # then their own home page greets them in Kazakh
    expect(page.locator("h1")).to_have_text(HOME_HEADINGS_KK[role])
    expect(page.locator(f'[data-role-home="{role}"]')).to_be_attached()


def test_switching_language_changes_the_page_and_is_remembered(page, live_server):
    # given a visitor on the Russian home page
    page.goto(f"{live_server.url}/ru/")
    expect(page.locator("nav")).to_contain_text("Войти")
    # when they choose Қазақша
    page.get_by_role("button", name="Қазақша").click()
    # then the page is in Kazakh and stays so on the next visit
    expect(page).to_have_url(f"{live_server.url}/kk/")
    expect(page.locator("nav")).to_contain_text("Кіру")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/kk/")


def test_phone_width_menu_collapses_and_opens(page, live_server):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/kk/")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(page.locator("#mainnav")).to_be_visible()
