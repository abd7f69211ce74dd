"""The yearly report to the state NGO database, computed from a grant whose money is
known: contracts, tranches received and their source, expenditures, beneficiaries."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from grants import services
from grants.tests.factories import (
    fund_officer_of,
    leader_of,
    make_grant,
    pay_tranche,
    staff_user,
)
from resources.state_report import figures_for

pytestmark = pytest.mark.django_db


def _values(sections) -> dict:
    return {str(row.label): row.value for s in sections for row in s.rows}


def _figures(organisation, year) -> dict:
    with translation.override("en"):
        return _values(figures_for(organisation=organisation, year=year))


@pytest.fixture
def grant_with_money():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True, amount=Decimal("1500000.00"))
    tranche = grant.tranches.order_by("pk").first()
    pay_tranche(tranche, staff=staff, officer=fund_officer_of(grant.funder))
    line = grant.budget_lines.first().pk
    for amount in (Decimal("100000.00"), Decimal("23456.78")):
        services.expenditure_record(
            grant=grant,
            actor=staff,
            budget_line_id=line,
            spent_on=grant.starts_on,
            description="Семинар залын жалға алу",
            amount=amount,
            supplier="ЖШС «Сыр»",
            payment_document="ПП-7",
        )
    report = services.report_save(
        grant=grant,
        actor=staff,
        kind="interim",
        period_start=grant.starts_on,
        period_end=grant.starts_on,
        activities="Семинар",
        results="Нәтиже",
        beneficiaries_reached=17,
    )
    services.report_submit(report=report, actor=staff)
    services.report_decide(report=report, actor=staff, approve=True)
    # another NGO's grant must not leak into the figures
    make_grant(actor=staff, signed=True)
    tranche.refresh_from_db()
    return grant, tranche


def test_figures_come_from_the_grant_money(grant_with_money):
    grant, tranche = grant_with_money
    year = timezone.localdate().year
    values = _figures(grant.organisation, year)
    assert values["Grant contracts signed in the year"] == 1
    assert values["Amount of the contracts signed"] == Decimal("1500000.00")
    assert values["Money received (tranches paid)"] == tranche.amount
    assert values[f"Received from: {grant.funder.name_ru}"] == tranche.amount
    assert values["Spent on social projects"] == Decimal("123456.78")
    assert values["Social projects carried out in the year"] == 1
    assert values["Beneficiaries reached (approved reports)"] == 17
    assert values["Events organised in the year"] == 0
    # a year without activity has zeros, not the same figures
    earlier = _figures(grant.organisation, year - 3)
    assert earlier["Spent on social projects"] == Decimal("0.00")
    assert earlier["Social projects carried out in the year"] == 0


def test_leader_gets_page_and_xlsx_a_stranger_gets_404(client, grant_with_money):
    grant, _tranche = grant_with_money
    year = timezone.localdate().year
    leader = leader_of(grant.organisation)
    with translation.override("en"):
        page_url = reverse(
            "resources:state_report", args=[grant.organisation.slug, year]
        )
        xlsx_url = reverse(
            "resources:state_report_xlsx", args=[grant.organisation.slug, year]
        )
    stranger = leader_of(make_grant(signed=False).organisation)
    client.force_login(stranger)
    assert client.get(page_url).status_code == 404
    assert client.get(xlsx_url).status_code == 404
    client.force_login(leader)
    page = client.get(page_url).content.decode()
    assert 'data-value="123456.78"' in page
    sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row}
    assert Decimal(str(cells["Spent on social projects"])) == Decimal("123456.78")
