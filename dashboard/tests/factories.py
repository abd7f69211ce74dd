"""Test data for the dashboard. The grants app has no factories yet, so grants,
tranches, expenditures and reports are created directly (valid under the grants
app's database constraints); a tranche or expenditure made here refreshes its grant's
quarter sums, as the grants services do."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from forums.tests.factories import ForumFactory, ResolutionFactory
from grants.models import Expenditure, Grant, GrantBudgetLine, Report, Tranche
from grants.services import money_summary_refresh
from members.models import FieldOfActivity, MembershipPeriod, Organisation
from members.tests.factories import DistrictFactory, OrganisationFactory
from memoranda.tests.factories import (
    CommitmentFactory,
    MemorandumFactory,
    MemorandumPartyFactory,
)
from projects.models import Application
from projects.tests.factories import ApplicationFactory, CallFactory

_numbers = itertools.count(1)
TZ_NOON = datetime.time(12, 0)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, TZ_NOON, timezone.get_current_timezone())


def theme(code: str) -> FieldOfActivity:
    obj, _created = FieldOfActivity.objects.get_or_create(
        code=code, defaults={"name_kk": f"Тақырып {code}", "name_ru": f"Тема {code}"}
    )
    return obj


def application(*, call, organisation, status, submitted_on, theme=None, amount=None):
    n = next(_numbers)
    return ApplicationFactory(
        call=call,
        organisation=organisation,
        status=status,
        theme=theme,
        number="" if status == Application.Status.DRAFT else f"T-{n:05d}",
        submitted_at=None if status == Application.Status.DRAFT else at(submitted_on),
        requested_amount=amount or Decimal("1000000.00"),
    )


def grant(
    *,
    call,
    organisation,
    amount,
    signed_on,
    status=Grant.Status.ACTIVE,
    theme=None,
    closed_on=None,
    returned=Decimal("0.00"),
) -> Grant:
    app = application(
        call=call,
        organisation=organisation,
        status=Application.Status.FUNDED,
        submitted_on=signed_on - datetime.timedelta(days=30),
        theme=theme,
        amount=amount,
    )
    signed = status not in (Grant.Status.DRAFT, Grant.Status.CONTRACT_GENERATED)
    obj = Grant.objects.create(
        number=f"G-{next(_numbers):05d}",
        application=app,
        organisation=organisation,
        funder=call.funder,
        amount=amount,
        tranches_total=amount if signed else Decimal("0.00"),
        starts_on=signed_on,
        ends_on=signed_on + datetime.timedelta(days=300),
        status=status,
        signed_scan="private/grants/scan.pdf" if signed else "",
        signed_at=at(signed_on) if signed else None,
        closed_at=at(closed_on) if closed_on else None,
        returned_amount=returned,
    )
    GrantBudgetLine.objects.create(
        grant=obj, category="events", item="Семинарлар", planned=amount
    )
    return obj


def tranche(grant_obj, amount, *, paid_on=None, sequence=None) -> Tranche:
    sequence = sequence or grant_obj.tranches.count() + 1
    obj = Tranche.objects.create(
        grant=grant_obj,
        sequence=sequence,
        planned_on=paid_on or grant_obj.starts_on,
        amount=amount,
        status=Tranche.Status.PAID if paid_on else Tranche.Status.PLANNED,
        paid_on=paid_on,
        paid_at=at(paid_on) if paid_on else None,
        payment_document=f"PP-{next(_numbers)}" if paid_on else "",
    )
    money_summary_refresh(grant_ids=[grant_obj.pk])
    return obj


def expenditure(grant_obj, amount, spent_on) -> Expenditure:
    obj = Expenditure.objects.create(
        grant=grant_obj,
        budget_line=grant_obj.budget_lines.first(),
        spent_on=spent_on,
        description="Зал жалдау",
        amount=amount,
        supplier="ЖШС «Сыр»",
        payment_document=f"ПП-{next(_numbers)}",
    )
    money_summary_refresh(grant_ids=[grant_obj.pk])
    return obj


def report(grant_obj, beneficiaries, period_end, *, status=Report.Status.APPROVED):
    return Report.objects.create(
        grant=grant_obj,
        number=grant_obj.reports.count() + 1,
        period_start=period_end - datetime.timedelta(days=90),
        period_end=period_end,
        beneficiaries_reached=beneficiaries,
        status=status,
        results="Жастар үйірмелері ашылды.",
    )


def member(organisation, started_on, ended_on=None):
    return MembershipPeriod.objects.create(
        organisation=organisation, started_on=started_on, ended_on=ended_on
    )


@dataclass
class World:
    district_a: object
    district_b: object
    theme_1: FieldOfActivity
    theme_2: FieldOfActivity
    fund_1: Organisation
    fund_2: Organisation
    call_1: object
    call_2: object
    ngo_1: Organisation
    ngo_2: Organisation
    ngo_3: Organisation
    grant_1: Grant
    grant_2: Grant
    grant_3: Grant
    grant_4: Grant


D = datetime.date
M = Decimal


def seed_world() -> World:
    """The hand-computed data set the selector tests check figures against.

    All time: allocated 30 000 000 (2 calls), contracted 6 500 000 (3 grants, 2 NGOs),
    paid 4 200 000, spent 1 900 000, returned 100 000, beneficiaries 230,
    applications 8 → admitted 6 → recommended 4 → funded 3, members now 2.
    2024: allocated 20 000 000, contracted 4 500 000, paid 2 000 000, spent 1 200 000.
    2025: allocated 10 000 000, contracted 2 000 000, paid 2 200 000, spent 700 000.
    """
    district_a = DistrictFactory(code="aral", name_kk="Арал", name_ru="Аральский")
    district_b = DistrictFactory(code="shieli", name_kk="Шиелі", name_ru="Шиелийский")
    theme_1, theme_2 = theme("youth"), theme("ecology")
    fund_1 = OrganisationFactory(kind="fund", name_ru="Фонд Игилик", district=None)
    fund_2 = OrganisationFactory(kind="fund", name_ru="Донор", district=None)
    call_1 = CallFactory(
        funder=fund_1,
        envelope=M("20000000.00"),
        opens_at=at(D(2024, 2, 1)),
        closes_at=at(D(2024, 3, 1)),
        status="decided",
    )
    call_2 = CallFactory(
        funder=fund_2,
        envelope=M("10000000.00"),
        opens_at=at(D(2025, 2, 1)),
        closes_at=at(D(2025, 3, 1)),
        status="decided",
    )
    call_2.eligible_districts.add(district_b)
    CallFactory(funder=fund_1, status="draft")  # drafts allocate nothing
    ngo_1 = OrganisationFactory(district=district_a, name_kk="«Арал жастары»")
    ngo_2 = OrganisationFactory(district=district_b, name_kk="«Шиелі өңірі»")
    ngo_3 = OrganisationFactory(district=district_a, name_kk="«Сыр бойы»")

    grant_1 = grant(
        call=call_1,
        organisation=ngo_1,
        amount=M("3000000.00"),
        signed_on=D(2024, 3, 10),
        status=Grant.Status.CLOSED,
        theme=theme_1,
        closed_on=D(2025, 6, 1),
        returned=M("100000.00"),
    )
    tranche(grant_1, M("2000000.00"), paid_on=D(2024, 3, 20))
    tranche(grant_1, M("1000000.00"), paid_on=D(2025, 1, 15))
    expenditure(grant_1, M("500000.00"), D(2024, 4, 10))
    expenditure(grant_1, M("700000.00"), D(2024, 11, 5))
    expenditure(grant_1, M("300000.00"), D(2025, 2, 1))
    report(grant_1, 150, D(2024, 12, 31))

    grant_2 = grant(
        call=call_2,
        organisation=ngo_2,
        amount=M("2000000.00"),
        signed_on=D(2025, 3, 1),
        theme=theme_2,
    )
    tranche(grant_2, M("1200000.00"), paid_on=D(2025, 3, 5))
    tranche(grant_2, M("800000.00"))
    expenditure(grant_2, M("400000.00"), D(2025, 4, 1))
    report(grant_2, 80, D(2025, 6, 30))
    report(grant_2, 999, D(2025, 9, 30), status=Report.Status.SUBMITTED)

    grant_3 = grant(
        call=call_1,
        organisation=ngo_1,
        amount=M("1500000.00"),
        signed_on=D(2024, 5, 1),
        status=Grant.Status.SIGNED,
        theme=theme_2,
    )
    tranche(grant_3, M("1500000.00"))
    grant_4 = grant(
        call=call_1,
        organisation=ngo_3,
        amount=M("900000.00"),
        signed_on=D(2024, 5, 2),
        status=Grant.Status.DRAFT,
        theme=theme_1,
    )
    Application.objects.filter(pk=grant_4.application_id).update(
        status=Application.Status.RECOMMENDED
    )
    for status, org, call, day in (
        (Application.Status.NOT_RECOMMENDED, ngo_3, call_1, D(2024, 2, 10)),
        (Application.Status.REJECTED, ngo_3, call_1, D(2024, 2, 11)),
        (Application.Status.RETURNED, ngo_2, call_2, D(2025, 2, 10)),
        (Application.Status.ADMITTED, ngo_2, call_2, D(2025, 2, 11)),
        (Application.Status.DRAFT, ngo_2, call_2, D(2025, 2, 12)),
    ):
        application(call=call, organisation=org, status=status, submitted_on=day)

    member(ngo_1, D(2020, 1, 1))
    member(ngo_2, D(2024, 6, 1))
    member(ngo_3, D(2020, 1, 1), D(2024, 3, 1))

    memo = MemorandumFactory()
    MemorandumPartyFactory(memorandum=memo, organisation=fund_1)
    today = timezone.localdate()
    CommitmentFactory(
        memorandum=memo,
        responsible=fund_1,
        due_on=D(2024, 5, 1),
        status="done",
        completed_on=D(2024, 4, 30),
    )
    CommitmentFactory(
        memorandum=memo, responsible=fund_1, due_on=D(2024, 6, 1), status="planned"
    )
    CommitmentFactory(
        memorandum=memo,
        responsible=fund_1,
        due_on=today + datetime.timedelta(days=30),
        status="in_progress",
    )
    CommitmentFactory(
        memorandum=memo, responsible=fund_1, due_on=D(2024, 7, 1), status="dropped"
    )
    forum_1 = ForumFactory(
        starts_on=D(2024, 10, 10), ends_on=D(2024, 10, 10), district=district_a
    )
    ResolutionFactory(forum=forum_1, status="done")
    ResolutionFactory(forum=forum_1, status="in_progress")
    forum_2 = ForumFactory(
        starts_on=D(2025, 10, 10), ends_on=D(2025, 10, 10), district=district_b
    )
    ResolutionFactory(forum=forum_2, status="planned")
    return World(
        district_a,
        district_b,
        theme_1,
        theme_2,
        fund_1,
        fund_2,
        call_1,
        call_2,
        ngo_1,
        ngo_2,
        ngo_3,
        grant_1,
        grant_2,
        grant_3,
        grant_4,
    )
