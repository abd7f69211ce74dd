"""Browser journey of the officials' dashboard: filter, read, download."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import login
from dashboard.tests.factories import seed_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_official_filters_by_district_and_year_then_downloads_xlsx_and_pdf(
    page, live_server, make_user, browser_login, tmp_path
):
    # given the hand-computed world and an akimat official
    world = seed_world()
    official = make_user("official")
    login(page, live_server.url, official)

    # when they open the dashboard and filter by district A and 2024
    page.goto(f"{live_server.url}/kk/dashboard/")
    page.select_option("select[name=district]", str(world.district_a.pk))
    page.select_option("select[name=year]", "2024")
    page.get_by_role("button", name="Қолдану").click()
    page.wait_for_url(re.compile(r"year=2024"))

    # then the headline and the district table show 2024's money in district A
    expect(page.locator('[data-figure="contracted"]')).to_have_text(
        re.compile(r"4\s?500\s?000")
    )
    row = page.locator(f'[data-table="districts"] tr[data-row="{world.district_a.pk}"]')
    assert _digits(row.locator('[data-col="contracted"]').inner_text()) == "4500000"
    assert _digits(row.locator('[data-col="paid"]').inner_text()) == "2000000"
    assert _digits(row.locator('[data-col="spent"]').inner_text()) == "1200000"
    # and the chart draws the same figures as its table
    chart = page.evaluate(
        """() => {
          const c = Chart.getChart(document.querySelector('canvas[data-chart=districts]'));
          return {labels: c.data.labels, data: c.data.datasets.map(d => d.data)};
        }"""
    )
    assert chart["labels"] == ["Арал"]
    assert chart["data"] == [[4500000], [2000000], [1200000]]

    # when they download the XLSX
    page.locator('[data-export="xlsx"]').click()
    link = page.get_by_role("link", name=re.compile("xlsx"))
    expect(link).to_be_visible(timeout=20000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "figures.xlsx"
    info.value.save_as(path)
    # then the workbook holds the same figures
    book = load_workbook(io.BytesIO(path.read_bytes()))
    headline = list(
        book.worksheets[0].iter_rows(min_row=2, max_row=6, values_only=True)
    )
    assert [value for _label, value in headline] == [
        20000000,
        4500000,
        2000000,
        1200000,
        0,
    ]
    districts = list(book.worksheets[2].iter_rows(min_row=2, values_only=True))
    assert districts == [("Арал", 2, 4500000, 2000000, 1200000)]

    # when they go back and ask for the PDF report in Russian
    page.go_back()
    page.select_option("#pdf-language", "ru")
    page.locator('[data-export="pdf"]').click()
    link = page.get_by_role("link", name=re.compile("pdf"))
    expect(link).to_be_visible(timeout=30000)
    with page.expect_download() as info:
        link.click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    # then a PDF arrives
    assert pdf.read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename.endswith("-ru.pdf")


def test_district_row_drills_down_to_projects_and_a_project_page(
    page, live_server, make_user, browser_login
):
    world = seed_world()
    login(page, live_server.url, make_user("official"))
    page.goto(f"{live_server.url}/kk/dashboard/?year=2024")
    page.locator(
        f'[data-table="districts"] tr[data-row="{world.district_a.pk}"] a'
    ).click()
    expect(page.locator("h1")).to_contain_text("Арал")
    page.get_by_role("link", name=world.grant_1.application.title).click()
    expect(page.locator('[data-figure="paid"]')).to_have_text(
        re.compile(r"3\s?000\s?000")
    )
