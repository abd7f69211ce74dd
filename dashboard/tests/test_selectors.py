"""Dashboard figures against values computed by hand from ``seed_world``."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboard import selectors
from dashboard.filters import DashboardFilters
from dashboard.services import dashboard_invalidate
from dashboard.tests.factories import expenditure, seed_world, tranche

pytestmark = pytest.mark.django_db

M = Decimal
D = datetime.date
YEAR_2024 = {"date_from": D(2024, 1, 1), "date_to": D(2024, 12, 31)}


@pytest.fixture
def world():
    return seed_world()


def test_headline_for_all_time_adds_up_every_source(world):
    # given the seeded world, when the headline is computed without filters
    h = selectors.headline(DashboardFilters())
    # then each figure is the hand-computed sum
    assert h.allocated == M("30000000.00")
    assert h.contracted == M("6500000.00")
    assert h.paid == M("4200000.00")
    assert h.spent == M("1900000.00")
    assert h.returned == M("100000.00")
    assert (h.calls, h.applications, h.funded_projects, h.ngos_funded) == (2, 8, 3, 2)
    assert h.beneficiaries == 230
    assert h.members_now == 2
    assert h.members_at_start is None


def test_headline_for_a_year_counts_only_that_years_money(world):
    # given the world, when the headline is filtered to 2024
    h = selectors.headline(DashboardFilters(**YEAR_2024))
    # then only 2024's calls, contracts, payments and spending count
    assert h.allocated == M("20000000.00")
    assert h.contracted == M("4500000.00")
    assert h.paid == M("2000000.00")
    assert h.spent == M("1200000.00")
    assert h.returned == M("0.00")
    assert (h.calls, h.applications, h.funded_projects, h.ngos_funded) == (1, 5, 2, 1)
    assert h.beneficiaries == 150
    # and members at the period start are those on 1 January 2024
    assert h.members_at_start == 2


def test_district_filter_follows_the_executing_ngo_and_eligible_calls(world):
    # when filtered to district A (NGOs 1 and 3; call 2 is open to district B only)
    h = selectors.headline(DashboardFilters(district=world.district_a.pk))
    # then
    assert h.allocated == M("20000000.00")
    assert h.contracted == M("4500000.00")
    assert h.paid == M("3000000.00")
    assert h.spent == M("1500000.00")
    assert h.returned == M("100000.00")
    assert h.applications == 5


def test_funder_theme_and_call_filters_change_the_figures(world):
    by_funder = selectors.headline(DashboardFilters(funder=world.fund_2.pk))
    assert (by_funder.allocated, by_funder.contracted) == (
        M("10000000.00"),
        M("2000000.00"),
    )
    assert (by_funder.paid, by_funder.spent) == (M("1200000.00"), M("400000.00"))
    by_theme = selectors.headline(DashboardFilters(theme=world.theme_2.pk))
    assert (by_theme.contracted, by_theme.paid) == (M("3500000.00"), M("1200000.00"))
    by_call = selectors.headline(DashboardFilters(call=world.call_1.pk))
    assert (by_call.allocated, by_call.contracted) == (
        M("20000000.00"),
        M("4500000.00"),
    )


def test_money_by_year_splits_each_source_by_its_own_date(world):
    rows = selectors.by_year(DashboardFilters())
    assert [(r.year, r.allocated, r.contracted, r.paid, r.spent) for r in rows] == [
        (2024, M("20000000"), M("4500000"), M("2000000"), M("1200000")),
        (2025, M("10000000"), M("2000000"), M("2200000"), M("700000")),
    ]


def test_by_district_lists_every_district_and_sums_without_double_counting(world):
    rows = {r.pk: r for r in selectors.by_district(DashboardFilters())}
    a, b = rows[world.district_a.pk], rows[world.district_b.pk]
    assert (a.projects, a.contracted, a.paid, a.spent) == (
        2,
        M("4500000"),
        M("3000000"),
        M("1500000"),
    )
    assert (b.projects, b.contracted, b.paid, b.spent) == (
        1,
        M("2000000"),
        M("1200000"),
        M("400000"),
    )
    assert sum(r.contracted for r in rows.values()) == M("6500000")


def test_a_project_counts_in_every_district_it_covers(world):
    # given grant 2 (an NGO of district B) whose application covers A and B
    world.grant_2.application.districts.add(world.district_a, world.district_b)
    dashboard_invalidate()

    # when officials look at the districts
    rows = {r.pk: r for r in selectors.by_district(DashboardFilters())}

    # then it is counted, with its money, in both districts it covers
    a, b = rows[world.district_a.pk], rows[world.district_b.pk]
    assert (a.projects, a.contracted, a.paid) == (3, M("6500000"), M("4200000"))
    assert (b.projects, b.contracted, b.paid) == (1, M("2000000"), M("1200000"))
    # and "what reached district A" counts it once
    h = selectors.headline(DashboardFilters(district=world.district_a.pk))
    assert h.contracted == M("6500000.00")
    assert h.paid == M("4200000.00")
    only_a = selectors.by_district(DashboardFilters(district=world.district_a.pk))
    assert [(r.pk, r.contracted) for r in only_a] == [
        (world.district_a.pk, M("6500000"))
    ]


def test_by_district_in_a_year_follows_the_period(world):
    rows = {r.pk: r for r in selectors.by_district(DashboardFilters(**YEAR_2024))}
    a = rows[world.district_a.pk]
    assert (a.contracted, a.paid, a.spent) == (M("4500000"), M("2000000"), M("1200000"))
    assert rows[world.district_b.pk].contracted == M("0")


def test_by_theme_and_by_funder(world):
    themes = {r.pk: r for r in selectors.by_theme(DashboardFilters())}
    assert themes[world.theme_1.pk].contracted == M("3000000")
    assert themes[world.theme_2.pk].contracted == M("3500000")
    funders = {r.pk: r for r in selectors.by_funder(DashboardFilters())}
    assert funders[world.fund_1.pk].paid == M("3000000")
    assert funders[world.fund_2.pk].spent == M("400000")


def test_funnel_counts_each_application_at_its_furthest_stage(world):
    rows = selectors.funnel(DashboardFilters())
    assert [(r.code, r.count) for r in rows] == [
        ("submitted", 8),
        ("admitted", 6),
        ("recommended", 4),
        ("funded", 3),
    ]
    in_2025 = selectors.funnel(
        DashboardFilters(date_from=D(2025, 1, 1), date_to=D(2025, 12, 31))
    )
    assert [r.count for r in in_2025] == [3, 2, 1, 1]


def test_paid_and_spent_by_quarter_show_an_empty_quarter_as_zero(world):
    rows = selectors.quarters(DashboardFilters())
    assert [(r.label, r.paid, r.spent) for r in rows] == [
        ("2024 Q1", M("2000000"), M("0")),
        ("2024 Q2", M("0"), M("500000")),
        # nothing was paid or spent in 2024 Q3: a zero, not a gap in the chart
        ("2024 Q3", M("0"), M("0")),
        ("2024 Q4", M("0"), M("700000")),
        ("2025 Q1", M("2200000"), M("300000")),
        ("2025 Q2", M("0"), M("400000")),
    ]


def test_quarters_of_a_year_cover_the_whole_period(world):
    # given the year 2024 chosen, with money in Q1, Q2 and Q4 only
    rows = selectors.quarters(DashboardFilters(**YEAR_2024))
    # then the chart has all four quarters of the year
    assert [r.label for r in rows] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    assert rows[2].paid == rows[2].spent == M("0")


def test_commitments_by_status_compute_overdue_from_today(world):
    rows = {r.code: r.count for r in selectors.commitments(DashboardFilters())}
    assert rows == {
        "overdue": 1,
        "planned": 0,
        "in_progress": 1,
        "done": 1,
        "dropped": 1,
    }
    # a funder that is not a party to the memorandum sees none of them
    other = selectors.commitments(DashboardFilters(funder=world.fund_2.pk))
    assert sum(r.count for r in other) == 0


def test_resolutions_by_status_follow_period_and_district(world):
    rows = {r.code: r.count for r in selectors.resolutions(DashboardFilters())}
    assert rows == {"planned": 1, "in_progress": 1, "done": 1, "not_done": 0}
    in_b = selectors.resolutions(DashboardFilters(district=world.district_b.pk))
    assert {r.code: r.count for r in in_b}["planned"] == 1
    assert sum(r.count for r in in_b) == 1


def test_fund_scope_restricts_to_the_fund_and_empty_scope_shows_nothing(world):
    own = selectors.dashboard_figures(
        filters=DashboardFilters(funder_scope=(world.fund_1.pk,))
    )
    assert own.headline.contracted == M("4500000")
    assert own.headline.allocated == M("20000000")
    assert [r.pk for r in own.by_funder] == [world.fund_1.pk]
    none = selectors.dashboard_figures(filters=DashboardFilters(funder_scope=()))
    h = none.headline
    assert (h.allocated, h.contracted, h.paid, h.spent) == (0, 0, 0, 0)
    assert (h.calls, h.applications, h.funded_projects, h.beneficiaries) == (0, 0, 0, 0)
    assert sum(r.count for r in none.funnel + none.commitments + none.resolutions) == 0


def _queries(filters):
    cache.clear()  # computed cold, as after dashboard_invalidate()
    with CaptureQueriesContext(connection) as ctx:
        selectors.dashboard_figures(filters=filters)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_data(world):
    # given the counts for the seeded world, unfiltered and filtered
    filtered = DashboardFilters(district=world.district_a.pk, **YEAR_2024)
    small, small_filtered = _queries(DashboardFilters()), _queries(filtered)
    # when much more money moves in more years and districts
    for year in range(2015, 2024):
        extra = seed_grant_in(world, year)
        tranche(extra, extra.amount, paid_on=D(year, 6, 1))
        for month in (2, 5, 8, 11):
            expenditure(extra, M("1000.00"), D(year, month, 3))
    # then the same number of queries computes every figure
    assert _queries(DashboardFilters()) == small
    assert _queries(filtered) == small_filtered
    # (the figures and the filter form's choices, which label them)
    assert max(small, small_filtered) <= 14


def seed_grant_in(world, year):
    from members.tests.factories import DistrictFactory, OrganisationFactory

    from .factories import grant

    ngo = OrganisationFactory(district=DistrictFactory())
    return grant(
        call=world.call_1,
        organisation=ngo,
        amount=M("500000.00"),
        signed_on=D(year, 3, 1),
        theme=world.theme_1,
    )


def test_cached_figures_are_reused_until_invalidated(world):
    filters = DashboardFilters()
    first = selectors.dashboard_data(filters=filters)
    # when money moves without invalidation, the cached figures are served
    expenditure(world.grant_2, M("100000.00"), D(2025, 5, 1))
    with CaptureQueriesContext(connection) as ctx:
        cached = selectors.dashboard_data(filters=filters)
    assert len(ctx.captured_queries) == 0
    assert cached.headline.spent == first.headline.spent == M("1900000")
    # and after dashboard_invalidate() the new spending shows
    dashboard_invalidate()
    assert selectors.dashboard_data(filters=filters).headline.spent == M("2000000")


def test_project_summary_is_404_outside_the_fund_scope(world):
    from django.http import Http404

    summary = selectors.project_summary(
        filters=DashboardFilters(funder_scope=(world.fund_1.pk,)), pk=world.grant_1.pk
    )
    assert (summary.paid, summary.spent, summary.beneficiaries) == (
        M("3000000"),
        M("1500000"),
        150,
    )
    with pytest.raises(Http404):
        selectors.project_summary(
            filters=DashboardFilters(funder_scope=(world.fund_1.pk,)),
            pk=world.grant_2.pk,
        )
    with pytest.raises(Http404):  # a draft grant is not a funded project
        selectors.project_summary(filters=DashboardFilters(), pk=world.grant_4.pk)


def test_organisation_figures_for_the_ngo_home_panel(world):
    f = selectors.organisation_figures(organisation=world.ngo_1)
    assert (f.received, f.spent, f.applications, f.funded) == (
        M("3000000"),
        M("1500000"),
        2,
        2,
    )


def test_invalidate_warms_the_default_views_after_commit(
    world, django_capture_on_commit_callbacks
):
    # given money that moved and the cache invalidated inside a transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dashboard_invalidate()
    # then on commit the all-time view was recomputed and is served from the cache
    assert len(callbacks) == 1
    with CaptureQueriesContext(connection) as ctx:
        data = selectors.dashboard_data(filters=DashboardFilters())
    assert len(ctx.captured_queries) == 0
    assert data.headline.contracted == M("6500000")


def _expected(rows, date_field: str | None = None) -> dict:
    """Sums (and numbers of rows) of money rows (tranches, expenditures or grants),
    by quarter or year, theme, funder and covered district, added up in Python from
    the rows themselves: what the figures must show."""
    by: dict = {name: {} for name in ("quarter", "year", "theme", "funder", "district")}
    for row in rows:
        grant = getattr(row, "grant", row)
        day = getattr(row, date_field) if date_field else None
        if day is None:  # a grant: by the local year it was signed
            day = timezone.localtime(grant.signed_at).date()
        quarter = selectors._quarter_label(D(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        covered = [d.pk for d in grant.application.districts.all()]
        keys = {
            "quarter": [quarter],
            "year": [day.year],
            "theme": [grant.application.theme_id],
            "funder": [grant.funder_id],
            "district": covered or [grant.organisation.district_id],
        }
        for dimension, values in keys.items():
            for key in values:
                total, n = by[dimension].get(key, (0, 0))
                by[dimension][key] = (total + row.amount, n + 1)
    return by


def _money_rows(queryset):
    """Tranches or expenditures with their grant's application and NGO."""
    return queryset.select_related(
        "grant__application", "grant__organisation"
    ).prefetch_related("grant__application__districts")


@pytest.mark.parametrize(
    ("date_from", "date_to", "dimension", "two_districts"),
    [
        (None, None, None, False),
        (D(2024, 1, 1), D(2024, 12, 31), "district", False),
        (D(2024, 2, 15), None, None, False),
        (None, D(2025, 2, 10), "funder", False),
        (D(2024, 3, 20), D(2025, 3, 5), None, False),
        (D(2024, 4, 10), D(2024, 4, 10), None, False),
        (D(2024, 11, 6), D(2025, 3, 31), "theme", False),
        (D(2025, 1, 1), D(2025, 2, 1), "district", False),
        (D(2024, 3, 21), D(2025, 1, 14), None, False),
        (None, None, None, True),
        (None, None, "district", True),
        (None, None, "district_a", True),
        (None, None, "theme", False),
        (None, None, "funder", True),
        (D(2024, 11, 6), D(2025, 3, 31), None, True),
        (D(2025, 1, 1), D(2025, 3, 10), "district_a", True),
        (D(2024, 1, 1), D(2025, 12, 31), "theme", True),
    ],
)
def test_every_money_figure_equals_the_rows_for_any_period(
    world, date_from, date_to, dimension, two_districts
):
    # given more money on the edges of quarters (first and last days)
    expenditure(world.grant_1, M("0.01"), D(2024, 10, 1))
    expenditure(world.grant_1, M("10.10"), D(2024, 12, 31))
    expenditure(world.grant_2, M("25.25"), D(2025, 3, 31))
    if two_districts:  # and grant 2 (an NGO of district B) covering A and B
        world.grant_2.application.districts.add(world.district_a, world.district_b)
    dims = {
        "district": {"district": world.district_b.pk},
        "district_a": {"district": world.district_a.pk},
        "funder": {"funder": world.fund_1.pk},
        "theme": {"theme": world.theme_1.pk},
        None: {},
    }[dimension]
    f = DashboardFilters(date_from=date_from, date_to=date_to, **dims)
    # when the figures are computed (from the grants' quarter sums and, for a
    # quarter the period cuts, from the rows)
    data = selectors.dashboard_figures(filters=f)
    # then every money figure equals the tranches, expenditures and grants themselves
    contracted = _expected(
        selectors.contracted_grants(f)
        .select_related("application", "organisation")
        .prefetch_related("application__districts")
    )
    assert data.headline.contracted == sum(t for t, _n in contracted["theme"].values())
    assert data.headline.funded_projects == sum(
        n for _t, n in contracted["theme"].values()
    )
    assert {r.year: r.contracted for r in data.by_year if r.contracted} == {
        year: total for year, (total, _n) in contracted["year"].items()
    }
    shown = data.by_theme, data.by_funder, data.by_district
    for dimension, rows in zip(("theme", "funder", "district"), shown, strict=True):
        for r in rows:
            expected = contracted[dimension].get(r.pk, (0, 0))
            assert (r.contracted, r.projects) == expected, (dimension, r)
    for name, rows, date_field in (
        ("paid", selectors.paid_tranches(f), "paid_on"),
        ("spent", selectors.expenditures(f), "spent_on"),
    ):
        expected = _expected(_money_rows(rows), date_field)
        assert getattr(data.headline, name) == sum(
            t for t, _n in expected["theme"].values()
        )
        quarters = {r.label: getattr(r, name) for r in data.quarters}
        for key, (total, _n) in expected["quarter"].items():
            assert quarters.pop(key) == total
        assert not any(quarters.values())
        assert {r.year: getattr(r, name) for r in data.by_year if getattr(r, name)} == {
            year: total for year, (total, _n) in expected["year"].items()
        }
        for dimension, rows in zip(("theme", "funder", "district"), shown, strict=True):
            assert {r.pk: getattr(r, name) for r in rows} == {
                r.pk: expected[dimension].get(r.pk, (0, 0))[0] for r in rows
            }, dimension
            # and nothing is left out of the theme and funder charts
            if dimension != "district":
                assert set(expected[dimension]) <= {r.pk for r in rows}
