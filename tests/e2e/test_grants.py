"""A whole grant in the browser: contract, signature, tranches, spending, reports,
closure with the unspent remainder returned."""

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from alliance_portal.permissions import Role
from conftest import login
from grants.models import Expenditure, Grant, Tranche
from grants.tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    fund_officer_of,
    leader_of,
    make_grant,
)
from members.tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("GRANTS_SCREENSHOTS")


def _page(browser, base, user, width=1280):
    context = browser.new_context(
        locale="kk-KZ", viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    login(page, base, user)
    return page


def _record(page, base, grant, line, amount, day):
    page.goto(f"{base}/kk/grants/{grant.pk}/expenditures/new/")
    page.select_option("select[name=budget_line]", str(line.pk))
    page.fill("input[name=spent_on]", day.isoformat())
    page.fill("input[name=description]", "Семинар залын жалға алу")
    page.fill("input[name=amount]", str(amount))
    page.fill("input[name=supplier]", "ЖШС «Сыр»")
    page.fill("input[name=payment_document]", f"ПП-{amount}")
    page.set_input_files(
        "input[name=receipt]",
        {"name": "receipt.png", "mimeType": "image/png", "buffer": PNG_BYTES},
    )
    page.get_by_role("button", name="Сақтау").click()
    expect(page.locator("#expenditures")).to_contain_text("Семинар залын жалға алу")


def _report(page, base, grant, *, final, start, end):
    suffix = "?kind=final" if final else ""
    page.goto(f"{base}/kk/grants/{grant.pk}/reports/new/{suffix}")
    page.fill("input[name=period_start]", start.isoformat())
    page.fill("input[name=period_end]", end.isoformat())
    page.fill("textarea[name=activities]", "Арал ауданында үш семинар өтті.")
    page.fill("textarea[name=results]", "Индикатор 1: 120 жасөспірім қатысты.")
    page.fill("input[name=beneficiaries_reached]", "120")
    page.get_by_role("button", name="Жоба нұсқасын сақтау").click()
    page.get_by_role("button", name="Есепті тапсыру").click()
    expect(page.locator("[data-status=submitted]")).to_be_visible()
    return page.url


def _approve_report(page, url):
    page.goto(url)
    page.get_by_role("button", name="Есепті бекіту").click()
    expect(page.locator("[data-status=approved]")).to_be_visible()


def _pay(officer_page, base, grant, sequence):
    tranche = Tranche.objects.get(grant=grant, sequence=sequence)
    officer_page.goto(f"{base}/kk/grants/payments/")
    officer_page.locator(f"tr[data-tranche='{tranche.pk}']").get_by_role(
        "link", name="Төлемді растау"
    ).click()
    officer_page.fill("input[name=payment_document]", f"ПП-{sequence}00")
    officer_page.get_by_role("button", name="Төлемді растау").click()
    expect(officer_page.get_by_text(f"ПП-{sequence}00")).to_be_visible()


def test_whole_grant_from_contract_to_closure(live_server, browser):
    base = live_server.url
    # given a draft grant of 1 500 000 ₸, its NGO leader, staff and the fund officer
    staff = UserFactory(role=Role.STAFF)
    grant = make_grant(actor=staff)
    leader = leader_of(grant.organisation)
    officer = fund_officer_of(grant.funder)
    staff_page = _page(browser, base, staff)

    # when staff generate the contract, the Kazakh PDF says the amount in words
    staff_page.goto(f"{base}/kk/grants/{grant.pk}/")
    staff_page.get_by_role("button", name="Шартты жасау").click()
    # (the contract is issued at once: the link serves the issued version)
    with staff_page.expect_download() as download:
        staff_page.get_by_role("link", name="Шарт (қазақша), PDF").click()
    assert download.value.suggested_filename.endswith("contract-v1-kk.pdf")
    pdf = open(download.value.path(), "rb").read()  # noqa: SIM115
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "ҮШЖАҚТЫ ГРАНТ ШАРТЫ" in text
    assert "бір миллион бес жүз мың теңге 00 тиын" in text
    assert "екі мәтіннің де заңды күші бірдей" in text
    expect(staff_page.locator("[data-issued-documents] tr[data-issued]")).to_have_count(
        3
    )

    # and upload the signed scan
    staff_page.goto(f"{base}/kk/grants/{grant.pk}/sign/")
    staff_page.set_input_files(
        "input[name=scan]",
        {"name": "signed.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    staff_page.get_by_role("button", name="Қол қойылды деп белгілеу").click()
    expect(staff_page.locator("[data-grant-status=signed]")).to_be_visible()

    # then staff approve the first tranche and the fund officer pays it
    staff_page.locator("tr[data-tranche='1']").get_by_role(
        "button", name="Мақұлдау"
    ).click()
    officer_page = _page(browser, base, officer)
    _pay(officer_page, base, grant, 1)

    # the leader records spending and submits the interim report
    leader_page = _page(browser, base, leader)
    lines = list(grant.budget_lines.order_by("order"))
    day = timezone.localdate() - datetime.timedelta(days=30)
    _record(leader_page, base, grant, lines[0], 700000, day)
    interim_url = _report(
        leader_page, base, grant, final=False, start=grant.starts_on, end=day
    )
    # staff approve it, which releases the second tranche, and the fund pays it
    _approve_report(staff_page, interim_url)
    staff_page.goto(f"{base}/kk/grants/{grant.pk}/")
    staff_page.locator("tr[data-tranche='2']").get_by_role(
        "button", name="Мақұлдау"
    ).click()
    _pay(officer_page, base, grant, 2)

    # more spending, then the final report, approved by staff
    _record(
        leader_page, base, grant, lines[1], 300000, day + datetime.timedelta(days=1)
    )
    final_url = _report(
        leader_page,
        base,
        grant,
        final=True,
        start=day + datetime.timedelta(days=1),
        end=timezone.localdate(),
    )
    _approve_report(staff_page, final_url)

    # finally staff close the grant: 1 200 000 received − 1 000 000 spent is returned
    staff_page.goto(f"{base}/kk/grants/{grant.pk}/")
    staff_page.get_by_role("button", name="Грантты жабу").click()
    expect(staff_page.locator("[data-grant-status=closed]")).to_be_visible()
    expect(staff_page.locator("[data-money=returned]")).to_contain_text("200")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED
    assert grant.returned_amount == Decimal("200000.00")
    assert Expenditure.objects.filter(grant=grant).count() == 2
    if SHOTS:
        for width in (1280, 375):
            staff_page.set_viewport_size({"width": width, "height": 900})
            staff_page.screenshot(path=f"{SHOTS}/grant-{width}.png", full_page=True)
        leader_page.goto(f"{base}/kk/grants/my/")
        leader_page.screenshot(path=f"{SHOTS}/my-1280.png", full_page=True)
        leader_page.set_viewport_size({"width": 375, "height": 800})
        leader_page.screenshot(path=f"{SHOTS}/my-375.png", full_page=True)
        officer_page.goto(f"{base}/kk/grants/payments/")
        officer_page.screenshot(path=f"{SHOTS}/payments-1280.png", full_page=True)
        staff_page.set_viewport_size({"width": 1280, "height": 900})
        staff_page.goto(f"{base}/kk/grants/")
        staff_page.screenshot(path=f"{SHOTS}/list-1280.png", full_page=True)
