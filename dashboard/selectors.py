"""Reads of the dashboard: small frozen dataclasses built by database aggregation
(``aggregate``, ``values`` + ``annotate``, conditional ``filter=Q(...)``), never by a
Python loop over rows. Every figure follows one :class:`DashboardFilters`.

Where each figure comes from, and which date places it in the period:

- allocated — call envelopes (calls not in draft), by ``Call.opens_at``;
- contracted — grant amounts of signed (or later) grants, by ``Grant.signed_at``;
- paid — paid tranches, by ``Tranche.paid_on``;
- spent — expenditures, by ``Expenditure.spent_on``;
- returned — unspent money returned at closing, by ``Grant.closed_at``;
- beneficiaries — approved reports, by ``Report.period_end``.

A project counts in every district it covers (the districts its application lists),
so "what reached Aral district" includes a project of a Kyzylorda NGO working in Aral;
a project listing none counts in its NGO's district. A project covering two districts
is counted, with its money, in both: the district chart's rows may add up to more than
the region's total, and the page says so under the chart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncQuarter
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Resolution
from grants.models import Expenditure, Grant, GrantMoneyQuarter, Report, Tranche
from members.models import District, FieldOfActivity, MembershipPeriod, Organisation
from members.selectors import members_on, membership_on_q
from memoranda.models import Commitment, Memorandum, MemorandumParty
from projects.models import Application, Call

from .cache import TTL_SECONDS, figures_key
from .filters import DashboardFilters

ZERO = Decimal("0.00")
CONTRACTED_STATUSES = (*Grant.MONEY_STATUSES, Grant.Status.CLOSED)
# The one meaning of "funded" on every figure: the application's grant is signed
# (contracted). The funnel, the headline's "funded projects" and an organisation's
# figures all count this, so they cannot disagree.
FUNDED_Q = Q(grant__status__in=CONTRACTED_STATUSES)
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


# --- the result types -----------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    allocated: Decimal
    contracted: Decimal
    paid: Decimal
    spent: Decimal
    returned: Decimal
    calls: int
    applications: int
    funded_projects: int
    ngos_funded: int
    beneficiaries: int
    members_now: int
    members_at_start: int | None


@dataclass(frozen=True)
class YearRow:
    year: int
    allocated: Decimal
    contracted: Decimal
    paid: Decimal
    spent: Decimal


@dataclass(frozen=True)
class DimensionRow:
    """One district, theme or funder: ``pk`` is ``None`` for "not specified"."""

    pk: int | None
    label: str
    projects: int
    contracted: Decimal
    paid: Decimal
    spent: Decimal


@dataclass(frozen=True)
class QuarterRow:
    label: str
    paid: Decimal
    spent: Decimal


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class DashboardData:
    filters: DashboardFilters
    headline: Headline
    by_year: tuple[YearRow, ...]
    by_district: tuple[DimensionRow, ...]
    by_theme: tuple[DimensionRow, ...]
    by_funder: tuple[DimensionRow, ...]
    funnel: tuple[CountRow, ...]
    quarters: tuple[QuarterRow, ...]
    commitments: tuple[CountRow, ...]
    resolutions: tuple[CountRow, ...]

    def chart_data(self) -> dict:
        """Plain numbers and labels for the charts (``json_script``)."""

        def num(value: Decimal) -> str:
            return str(value)

        return {
            "years": {
                "labels": [str(r.year) for r in self.by_year],
                "allocated": [num(r.allocated) for r in self.by_year],
                "contracted": [num(r.contracted) for r in self.by_year],
                "paid": [num(r.paid) for r in self.by_year],
                "spent": [num(r.spent) for r in self.by_year],
            },
            "districts": _dimension_chart(self.by_district),
            "themes": _dimension_chart(self.by_theme),
            "funders": _dimension_chart(self.by_funder),
            "funnel": {
                "labels": [r.label for r in self.funnel],
                "counts": [r.count for r in self.funnel],
            },
            "quarters": {
                "labels": [r.label for r in self.quarters],
                "paid": [num(r.paid) for r in self.quarters],
                "spent": [num(r.spent) for r in self.quarters],
            },
            "commitments": {
                "labels": [r.label for r in self.commitments],
                "counts": [r.count for r in self.commitments],
            },
            "resolutions": {
                "labels": [r.label for r in self.resolutions],
                "counts": [r.count for r in self.resolutions],
            },
        }


def _dimension_chart(rows: tuple[DimensionRow, ...]) -> dict:
    return {
        "labels": [r.label for r in rows],
        "contracted": [str(r.contracted) for r in rows],
        "paid": [str(r.paid) for r in rows],
        "spent": [str(r.spent) for r in rows],
        "ids": [r.pk for r in rows],
    }


# --- filters as Q objects -------------------------------------------------------


def _grant_q(f: DashboardFilters, prefix: str = "") -> Q:
    """The dimension filters on a grant (reached through ``prefix``)."""
    q = Q()
    if f.funder_scope is not None:
        q &= Q(**{f"{prefix}funder_id__in": f.funder_scope})
    if f.funder:
        q &= Q(**{f"{prefix}funder_id": f.funder})
    if f.district:
        q &= _covers_district_q(f.district, prefix)
    if f.theme:
        q &= Q(**{f"{prefix}application__theme_id": f.theme})
    if f.call:
        q &= Q(**{f"{prefix}application__call_id": f.call})
    return q


def _covers_district_q(district_id: int, prefix: str = "") -> Q:
    """A grant (through ``prefix``) whose application covers the district, or which
    lists none and whose NGO is there. At most one joined row matches per grant, so
    sums over the filtered rows count each tenge once."""
    return Q(**{f"{prefix}application__districts": district_id}) | Q(
        **{
            f"{prefix}application__districts__isnull": True,
            f"{prefix}organisation__district_id": district_id,
        }
    )


def _date_q(field: str, f: DashboardFilters) -> Q:
    q = Q()
    if f.date_from:
        q &= Q(**{f"{field}__gte": f.date_from})
    if f.date_to:
        q &= Q(**{f"{field}__lte": f.date_to})
    return q


def _datetime_q(field: str, f: DashboardFilters) -> Q:
    start, end = f.bounds()
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": start})
    if end:
        q &= Q(**{f"{field}__lt": end})
    return q


def contracted_grants(f: DashboardFilters) -> QuerySet[Grant]:
    """Grants signed in the period (any later status), following the filters."""
    return Grant.objects.filter(
        _grant_q(f), _datetime_q("signed_at", f), status__in=CONTRACTED_STATUSES
    )


def paid_tranches(f: DashboardFilters) -> QuerySet[Tranche]:
    return Tranche.objects.filter(
        _grant_q(f, "grant__"), _date_q("paid_on", f), status=Tranche.Status.PAID
    )


def expenditures(f: DashboardFilters) -> QuerySet[Expenditure]:
    return Expenditure.objects.filter(_grant_q(f, "grant__"), _date_q("spent_on", f))


def calls(f: DashboardFilters) -> QuerySet[Call]:
    """Calls opened in the period. A call without eligible districts (or priority
    themes) is open to all of them, so it follows any district (theme) filter."""
    qs = Call.objects.exclude(status=Call.Status.DRAFT).filter(
        _datetime_q("opens_at", f)
    )
    if f.funder_scope is not None:
        qs = qs.filter(funder_id__in=f.funder_scope)
    if f.funder:
        qs = qs.filter(funder_id=f.funder)
    if f.call:
        qs = qs.filter(pk=f.call)
    through_d = Call.eligible_districts.through.objects.filter(call_id=OuterRef("pk"))
    if f.district:
        qs = qs.filter(
            ~Exists(through_d) | Exists(through_d.filter(district_id=f.district))
        )
    through_t = Call.priority_themes.through.objects.filter(call_id=OuterRef("pk"))
    if f.theme:
        qs = qs.filter(
            ~Exists(through_t) | Exists(through_t.filter(fieldofactivity_id=f.theme))
        )
    return qs


def submitted_applications(f: DashboardFilters) -> QuerySet[Application]:
    """Applications first submitted in the period (drafts never count)."""
    qs = Application.objects.filter(
        _datetime_q("submitted_at", f), submitted_at__isnull=False
    ).exclude(status=Application.Status.DRAFT)
    if f.funder_scope is not None:
        qs = qs.filter(call__funder_id__in=f.funder_scope)
    if f.funder:
        qs = qs.filter(call__funder_id=f.funder)
    if f.district:
        qs = qs.filter(
            Q(districts=f.district)
            | Q(districts__isnull=True, organisation__district_id=f.district)
        )
    if f.theme:
        qs = qs.filter(theme_id=f.theme)
    if f.call:
        qs = qs.filter(call_id=f.call)
    return qs


def _money(value) -> Decimal:
    return value if value is not None else ZERO


# --- groups shared by several figures ---------------------------------------------
#
# Paid and spent money come from the grants' money summaries, kept by the grants
# services, instead of the 200,000 expenditures and 10,000 tranches of ten years:
# ``GrantMoneyQuarter`` (a few rows per grant) for the quarter chart, the year chart
# and the headline, and for the other charts ``GrantMoneyTotal`` (one row per grant)
# when the period is all time, else the quarter rows of the period. A period that
# starts or ends inside a quarter takes that part of the quarter from the tranches
# and expenditures themselves (an index range on their date).
#
# The database groups the money by (theme, funder) and by covered district, apart
# because a project covering two districts is joined once per district. Under a
# district filter every row covers the chosen district once, so the district chart
# is the total and needs no query. For all time the grants' contracted amounts and
# their money totals are grouped in the same two queries, one row per grant; for a
# period, contracted money (by signing date) is grouped on its own. Python only adds
# up the few aggregated groups, never rows of money.

MONEY_METRICS = ("paid", "spent")
DIMENSIONS = ("theme", "funder", "district")


@dataclass(frozen=True)
class MoneyGroups:
    # {"paid"|"spent": {quarter's first day: Decimal}}
    by_quarter: dict
    # {"allocated"|"contracted": {year: Decimal}}
    by_year: dict
    # {dimension: {pk: {"contracted"|"projects"|"paid"|"spent": value}}}; a metric
    # is missing where nothing counts in it (a theme with money but no contract)
    by: dict
    calls: int
    # {"districts"|"themes"|"funders": [(pk, name), ...]}: the filter form's choices,
    # in its order (computed, or cached, for the page anyway)
    labels: dict


def _by_covered_district(qs: QuerySet, prefix: str, metrics: dict):
    """``(district pk, *metrics)`` groups of ``qs``: each row counted in every
    district its grant's application lists, or in its NGO's district when it lists
    none (the outer join gives one row per listed district, or one row with none).
    Never under a district filter (see the top of this section)."""
    covered = Coalesce(
        F(f"{prefix}application__districts"), F(f"{prefix}organisation__district_id")
    )
    return qs.annotate(k=covered).values_list("k").annotate(**metrics).order_by()


def _by_theme_and_funder(qs: QuerySet, prefix: str, metrics: dict, *keys):
    """``(theme pk, funder pk, *keys, *metrics)`` groups of ``qs``."""
    return (
        qs.annotate(
            d_theme=F(f"{prefix}application__theme_id"),
            d_funder=F(f"{prefix}funder_id"),
            **{f"d_{i}": key for i, key in enumerate(keys)},
        )
        .values_list("d_theme", "d_funder", *(f"d_{i}" for i in range(len(keys))))
        .annotate(**metrics)
        .order_by()
    )


def _add(totals: dict, key, value) -> None:
    if value is not None:
        totals[key] = totals.get(key, 0) + value


def _add_group(by: dict, dimensions: dict, values: dict) -> None:
    """Add one group's ``values`` (``None`` = nothing) to each dimension's key."""
    present = {name: value for name, value in values.items() if value is not None}
    if not present:
        return
    for dimension, key in dimensions.items():
        totals = by[dimension].setdefault(key, {})
        for name, value in present.items():
            totals[name] = totals.get(name, 0) + value


def _next_quarter(day: datetime.date) -> datetime.date:
    start = _quarter_start(day)
    if start.month == 10:
        return datetime.date(start.year + 1, 1, 1)
    return datetime.date(start.year, start.month + 3, 1)


def _split_period(f: DashboardFilters):
    """The period as whole quarters and cut pieces: ``(whole, cuts)``.

    ``whole`` is ``(first, last)``, the first days of the first and last quarters
    the period covers entirely (``None`` for an open end), or ``None`` when it covers
    no quarter entirely; ``cuts`` are the ``(start, end)`` date ranges (inclusive) of
    the quarters it covers only in part."""
    one_day = datetime.timedelta(days=1)
    first = last = None
    cuts: list[tuple[datetime.date, datetime.date]] = []
    if f.date_from:
        first = _quarter_start(f.date_from)
        if first != f.date_from:
            first = _next_quarter(f.date_from)
            end = first - one_day
            cuts.append((f.date_from, min(end, f.date_to) if f.date_to else end))
    if f.date_to:
        last = _quarter_start(f.date_to)
        if _next_quarter(f.date_to) - one_day != f.date_to:
            start = max(last, f.date_from) if f.date_from else last
            if (start, f.date_to) not in cuts:
                cuts.append((start, f.date_to))
            last = _quarter_start(last - one_day)
    if first is not None and last is not None and first > last:
        return None, cuts
    return (first, last), cuts


def _money_sources(f: DashboardFilters) -> list[tuple[QuerySet, object, dict]]:
    """``(rows, quarter key, {metric: sum})`` whose groups add up to the money paid
    and spent in the period: the quarter sums for the whole quarters, the tranches
    and expenditures themselves for the parts of quarters (see ``_split_period``)."""
    from dataclasses import replace

    whole, cuts = _split_period(f)
    sources = []
    if whole is not None:
        rows = GrantMoneyQuarter.objects.filter(_grant_q(f, "grant__"))
        if whole[0]:
            rows = rows.filter(quarter__gte=whole[0])
        if whole[1]:
            rows = rows.filter(quarter__lte=whole[1])
        sources.append(
            (rows, F("quarter"), {"paid": Sum("paid"), "spent": Sum("spent")})
        )
    if cuts:
        undated = replace(f, date_from=None, date_to=None)
        paid_q, spent_q = Q(), Q()
        for start, end in cuts:
            paid_q |= Q(paid_on__range=(start, end))
            spent_q |= Q(spent_on__range=(start, end))
        sources.append(
            (
                paid_tranches(undated).filter(paid_q),
                TruncQuarter("paid_on"),
                {"paid": Sum("amount")},
            )
        )
        sources.append(
            (
                expenditures(undated).filter(spent_q),
                TruncQuarter("spent_on"),
                {"spent": Sum("amount")},
            )
        )
    return sources


def _period_groups(f: DashboardFilters, by: dict, by_year: dict) -> None:
    """A period: the money of its quarter rows (and cut pieces) and the contracts
    signed in it, grouped apart."""
    for rows, _quarter, sums in _money_sources(f):
        names = tuple(sums)
        for theme, funder, *values in _by_theme_and_funder(rows, "grant__", sums):
            values = dict(zip(names, values, strict=True))
            _add_group(by, {"theme": theme, "funder": funder}, values)
        if not f.district:
            for key, *values in _by_covered_district(rows, "grant__", sums):
                _add_group(by, {"district": key}, dict(zip(names, values, strict=True)))
    grants = contracted_grants(f)
    metrics = {"contracted": Sum("amount"), "projects": Count("pk")}
    for theme, funder, year, total, n in _by_theme_and_funder(
        grants, "", metrics, ExtractYear("signed_at")
    ):
        _add(by_year, year, total)
        values = {"contracted": total, "projects": n}
        _add_group(by, {"theme": theme, "funder": funder}, values)
    if not f.district:
        for key, total, n in _by_covered_district(grants, "", metrics):
            _add_group(by, {"district": key}, {"contracted": total, "projects": n})


def _all_time_groups(f: DashboardFilters, by: dict, by_year: dict) -> None:
    """All time: every grant's contracted amount (if signed) and money totals, one
    row per grant, grouped together."""
    grants = Grant.objects.filter(_grant_q(f))
    signed = Q(status__in=CONTRACTED_STATUSES)
    metrics = {
        "contracted": Sum("amount", filter=signed),
        "projects": Count("pk", filter=signed),
        "paid": Sum("money_total__paid"),
        "spent": Sum("money_total__spent"),
    }

    def values(total, n, paid, spent) -> dict:
        # a group of unsigned grants has no contract (its zeros are no figure)
        if not n:
            total = n = None
        return {"contracted": total, "projects": n, "paid": paid, "spent": spent}

    for theme, funder, year, *sums in _by_theme_and_funder(
        grants, "", metrics, ExtractYear("signed_at")
    ):
        group = values(*sums)
        _add(by_year, year, group["contracted"])
        _add_group(by, {"theme": theme, "funder": funder}, group)
    if not f.district:
        for key, *sums in _by_covered_district(grants, "", metrics):
            _add_group(by, {"district": key}, values(*sums))


def money_groups(f: DashboardFilters) -> MoneyGroups:
    by_quarter: dict = {name: {} for name in MONEY_METRICS}
    by: dict = {name: {} for name in DIMENSIONS}
    by_year: dict = {"allocated": {}, "contracted": {}}
    for rows, quarter, sums in _money_sources(f):
        names = tuple(sums)
        for key, *values in (
            rows.annotate(k=quarter).values_list("k").annotate(**sums).order_by()
        ):
            for name, value in zip(names, values, strict=True):
                _add(by_quarter[name], _quarter_start(key), value)
    if f.has_period:
        _period_groups(f, by, by_year["contracted"])
    else:
        _all_time_groups(f, by, by_year["contracted"])
    if f.district:
        by["district"][f.district] = {
            name: sum((totals.get(name, 0) for totals in by["theme"].values()), start)
            for name, start in (
                ("contracted", ZERO),
                ("projects", 0),
                ("paid", ZERO),
                ("spent", ZERO),
            )
        }
    n_calls = 0
    for year, total, n in (
        calls(f)
        .annotate(k=ExtractYear("opens_at"))
        .values_list("k")
        .annotate(total=Sum("envelope"), n=Count("pk"))
        .order_by()
    ):
        _add(by_year["allocated"], year, total)
        n_calls += n
    return MoneyGroups(
        by_quarter=by_quarter,
        by_year=by_year,
        by=by,
        calls=n_calls,
        labels=filter_choices(funder_scope=f.funder_scope),
    )


# --- headline -------------------------------------------------------------------


def headline(
    f: DashboardFilters,
    groups: MoneyGroups | None = None,
    funnel_rows: tuple[CountRow, ...] | None = None,
) -> Headline:
    """The headline figures; the applications are the funnel's "submitted" (passed
    in when the funnel is computed anyway)."""
    groups = groups or money_groups(f)
    grant_figures = Grant.objects.filter(
        _grant_q(f), status__in=CONTRACTED_STATUSES
    ).aggregate(
        ngos=Count("organisation", filter=_datetime_q("signed_at", f), distinct=True),
        returned=Sum("returned_amount", filter=_datetime_q("closed_at", f)),
    )
    beneficiaries = Report.objects.filter(
        _grant_q(f, "grant__"),
        _date_q("period_end", f),
        status=Report.Status.APPROVED,
    ).aggregate(total=Sum("beneficiaries_reached"))["total"]
    funnel_rows = funnel_rows or funnel(f)
    applications = next(r.count for r in funnel_rows if r.code == "submitted")
    members_now, members_at_start = _members_on(timezone.localdate(), f.date_from)
    return Headline(
        allocated=sum(groups.by_year["allocated"].values(), ZERO),
        contracted=sum(groups.by_year["contracted"].values(), ZERO),
        paid=sum(groups.by_quarter["paid"].values(), ZERO),
        spent=sum(groups.by_quarter["spent"].values(), ZERO),
        returned=_money(grant_figures["returned"]),
        calls=groups.calls,
        applications=applications,
        funded_projects=sum(g.get("projects", 0) for g in groups.by["theme"].values()),
        ngos_funded=grant_figures["ngos"],
        beneficiaries=beneficiaries or 0,
        members_now=members_now,
        members_at_start=members_at_start,
    )


def _members_on(
    today: datetime.date, start: datetime.date | None
) -> tuple[int, int | None]:
    """Member NGOs today and on the period's start (``None`` without one), in one
    query: the organisations with an active membership period covering the day."""
    days = {"now": today, "start": start} if start else {"now": today}
    counts = MembershipPeriod.objects.filter(
        status=MembershipPeriod.Status.ACTIVE
    ).aggregate(
        **{
            name: Count("organisation", distinct=True, filter=membership_on_q(day))
            for name, day in days.items()
        }
    )
    return counts["now"], counts.get("start")


# --- series ---------------------------------------------------------------------


def by_year(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[YearRow, ...]:
    groups = groups or money_groups(f)
    parts = (
        groups.by_year["allocated"],
        groups.by_year["contracted"],
        _years(groups.by_quarter["paid"]),
        _years(groups.by_quarter["spent"]),
    )
    years: dict[int, list[Decimal]] = {}
    for index, part in enumerate(parts):
        for year, total in part.items():
            years.setdefault(year, [ZERO] * 4)[index] += total
    return tuple(YearRow(year, *years[year]) for year in sorted(years))


def _years(by_quarter: dict) -> dict:
    totals: dict = {}
    for key, total in by_quarter.items():
        _add(totals, key.year, total)
    return totals


def _by_dimension(
    f: DashboardFilters,
    dimension: str,
    labels: dict,
    groups: MoneyGroups | None,
    keep_all: bool = False,
) -> tuple[DimensionRow, ...]:
    groups = groups or money_groups(f)
    by = groups.by[dimension]
    keys = set(by)
    if keep_all:
        keys |= set(labels)
    if dimension == "district" and f.district:
        # a project in the chosen district also covers others: show the chosen one
        keys &= set(labels)
    order = {pk: index for index, pk in enumerate(labels)}
    not_specified = str(_("Not specified"))
    nothing: dict = {}
    rows = []
    for key in keys:
        figures = by.get(key, nothing)
        rows.append(
            DimensionRow(
                pk=key,
                label=labels.get(key, not_specified),
                projects=figures.get("projects", 0),
                contracted=figures.get("contracted", ZERO),
                paid=figures.get("paid", ZERO),
                spent=figures.get("spent", ZERO),
            )
        )
    rows.sort(key=lambda r: (order.get(r.pk, len(order)), r.label))
    return tuple(rows)


def by_district(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    """Every district of the region, even with nothing in it (a zero is a finding)."""
    groups = groups or money_groups(f)
    labels = dict(groups.labels["districts"])
    if f.district:
        labels = {f.district: labels[f.district]} if f.district in labels else {}
    return _by_dimension(f, "district", labels, groups, keep_all=True)


def by_theme(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    groups = groups or money_groups(f)
    return _by_dimension(f, "theme", dict(groups.labels["themes"]), groups)


def by_funder(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    groups = groups or money_groups(f)
    labels = dict(groups.labels["funders"])
    if f.funder:
        labels = {f.funder: labels[f.funder]} if f.funder in labels else {}
    return _by_dimension(f, "funder", labels, groups)


# The furthest stage an application reached, read from its current status: the
# workflow only moves forward (withdrawal is possible only before admission,
# rejection only at screening), so each status tells exactly how far it got.
FUNNEL = (
    ("submitted", _("Submitted"), None),
    (
        "admitted",
        _("Admitted to expert review"),
        (
            Application.Status.ADMITTED,
            Application.Status.RECOMMENDED,
            Application.Status.NOT_RECOMMENDED,
            Application.Status.FUNDED,
        ),
    ),
    (
        "recommended",
        _("Recommended for funding"),
        (Application.Status.RECOMMENDED, Application.Status.FUNDED),
    ),
    ("funded", _("Funded"), FUNDED_Q),
)


def funnel(f: DashboardFilters) -> tuple[CountRow, ...]:
    counts = dict.fromkeys((code for code, _label, _statuses in FUNNEL), 0)
    for status, n, funded in (
        submitted_applications(f)
        .values_list("status")
        .annotate(n=Count("pk"), funded=Count("pk", filter=FUNDED_Q))
        .order_by()
    ):
        for code, _label, statuses in FUNNEL:
            if isinstance(statuses, Q):
                counts[code] += funded
            elif statuses is None or status in statuses:
                counts[code] += n
    return tuple(CountRow(code, str(label), counts[code]) for code, label, _s in FUNNEL)


def _quarter_label(value: datetime.date) -> str:
    return f"{value.year} Q{(value.month - 1) // 3 + 1}"


def quarters(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[QuarterRow, ...]:
    """Every quarter from the first with money (or the period's start) to the last
    (or the period's end): a quarter with nothing paid or spent shows as zero
    instead of vanishing from the chart."""
    groups = groups or money_groups(f)
    paid = groups.by_quarter["paid"]
    spent = groups.by_quarter["spent"]
    keys = set(paid) | set(spent)
    if not keys:
        return ()
    first, last = min(keys), max(keys)
    if f.date_from:
        first = min(first, _quarter_start(f.date_from))
    if f.date_to:
        last = max(last, _quarter_start(f.date_to))
    return tuple(
        QuarterRow(
            label=_quarter_label(key),
            paid=paid.get(key, ZERO),
            spent=spent.get(key, ZERO),
        )
        for key in _quarter_range(first, last)
    )


def _quarter_start(value) -> datetime.date:
    """The first day of the quarter of a date (or of a datetime from TruncQuarter)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return datetime.date(value.year, (value.month - 1) // 3 * 3 + 1, 1)


def _quarter_range(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield datetime.date(year, month, 1)
        month += 3
        if month > 12:
            year, month = year + 1, month - 12


COMMITMENT_STATES = (
    ("overdue", _("Overdue")),
    ("planned", _("Planned")),
    ("in_progress", _("In progress")),
    ("done", _("Done")),
    ("dropped", _("Dropped")),
)


def commitments(f: DashboardFilters) -> tuple[CountRow, ...]:
    """Commitments due in the period by status; "overdue" (open and past due) is
    computed from today, never stored, and taken out of planned / in progress."""
    qs = Commitment.objects.filter(_date_q("due_on", f))
    parties = MemorandumParty.objects.filter(memorandum_id=OuterRef("memorandum_id"))
    if f.funder_scope is not None:
        qs = qs.filter(Exists(parties.filter(organisation_id__in=f.funder_scope)))
    if f.funder:
        qs = qs.filter(Exists(parties.filter(organisation_id=f.funder)))
    is_open = (Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS)
    late = ExpressionWrapper(
        Q(due_on__lt=timezone.localdate()), output_field=BooleanField()
    )
    counts = dict.fromkeys((code for code, _label in COMMITMENT_STATES), 0)
    groups = (
        qs.annotate(late=late)
        .values_list("status", "late")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for status, is_late, n in groups:
        if is_late and status in is_open:
            counts["overdue"] += n
        elif status in counts:
            counts[status] += n
    return tuple(
        CountRow(code, str(label), counts[code]) for code, label in COMMITMENT_STATES
    )


def resolutions(f: DashboardFilters) -> tuple[CountRow, ...]:
    """Resolutions of forums held in the period (and district) by status. They are
    public; a fund officer without a fund still sees nothing, like every figure."""
    qs = Resolution.objects.filter(_date_q("forum__starts_on", f))
    if f.district:
        qs = qs.filter(forum__district_id=f.district)
    if f.funder_scope == ():
        qs = qs.none()
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return tuple(
        CountRow(code, str(label), counts.get(code, 0))
        for code, label in Resolution.Status.choices
    )


def dashboard_figures(*, filters: DashboardFilters) -> DashboardData:
    """Every figure of the dashboard, straight from the database: 9 to 12 queries
    (18 for a period that cuts quarters) whatever the data size, and the filter
    form's choices for the labels (cached for the page)."""
    groups = money_groups(filters)
    funnel_rows = funnel(filters)
    return DashboardData(
        filters=filters,
        headline=headline(filters, groups, funnel_rows),
        by_year=by_year(filters, groups),
        by_district=by_district(filters, groups),
        by_theme=by_theme(filters, groups),
        by_funder=by_funder(filters, groups),
        funnel=funnel_rows,
        quarters=quarters(filters, groups),
        commitments=commitments(filters),
        resolutions=resolutions(filters),
    )


def dashboard_data(*, filters: DashboardFilters) -> DashboardData:
    """The figures, cached per filters + language + day under the data version that
    ``dashboard.services.dashboard_invalidate`` bumps when money moves."""
    key = figures_key(filters.digest())
    data = cache.get(key)
    if data is None:
        data = dashboard_figures(filters=filters)
        cache.set(key, data, TTL_SECONDS)
    return data


# --- drill down -----------------------------------------------------------------


def _paid_subquery():
    return Coalesce(
        Subquery(
            Tranche.objects.filter(grant_id=OuterRef("pk"), status=Tranche.Status.PAID)
            .values("grant_id")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_FIELD,
        ),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )


def _spent_subquery():
    return Coalesce(
        Subquery(
            Expenditure.objects.filter(grant_id=OuterRef("pk"))
            .values("grant_id")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_FIELD,
        ),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )


def _beneficiaries_subquery():
    return Coalesce(
        Subquery(
            Report.objects.filter(
                grant_id=OuterRef("pk"), status=Report.Status.APPROVED
            )
            .values("grant_id")
            .annotate(total=Sum("beneficiaries_reached"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
        output_field=IntegerField(),
    )


def funded_projects(*, filters: DashboardFilters) -> QuerySet[Grant]:
    """The contracted grants behind the figures (drill-down list), with paid and spent
    sums as subqueries so that one page is one query."""
    return (
        contracted_grants(filters)
        .select_related("organisation__district", "application", "funder")
        .annotate(paid=_paid_subquery(), spent=_spent_subquery())
        .order_by("-signed_at", "-pk")
    )


@dataclass(frozen=True)
class ProjectSummary:
    grant: Grant
    paid: Decimal
    spent: Decimal
    beneficiaries: int
    tranches: tuple
    budget_lines: tuple
    reports: tuple


def project_summary(*, filters: DashboardFilters, pk: int) -> ProjectSummary:
    """A funded project as officials see it; outside the user's scope → 404."""
    scope = DashboardFilters(funder_scope=filters.funder_scope)
    grant = (
        Grant.objects.filter(_grant_q(scope), status__in=CONTRACTED_STATUSES, pk=pk)
        .select_related(
            "organisation__district",
            "funder",
            "application__call",
            "application__theme",
        )
        .annotate(
            paid=_paid_subquery(),
            spent=_spent_subquery(),
            beneficiaries=_beneficiaries_subquery(),
        )
        .first()
    )
    if grant is None:
        raise Http404
    lines = grant.budget_lines.annotate(
        spent_total=Coalesce(Sum("expenditures__amount"), Value(ZERO))
    ).order_by("order", "pk")
    reports = grant.reports.filter(status=Report.Status.APPROVED).order_by("number")
    return ProjectSummary(
        grant=grant,
        paid=grant.paid,
        spent=grant.spent,
        beneficiaries=grant.beneficiaries,
        # by date: paid ones by their payment date, the others by the planned one
        tranches=tuple(
            grant.tranches.order_by(Coalesce("paid_on", "planned_on"), "sequence")
        ),
        budget_lines=tuple(lines),
        reports=tuple(reports),
    )


def filter_choices(*, funder_scope: tuple[int, ...] | None) -> dict:
    """Choices of the filter form, cached like the figures."""
    key = figures_key(f"choices:{funder_scope!r}")
    choices = cache.get(key)
    if choices is None:
        choices = _filter_choices(funder_scope=funder_scope)
        cache.set(key, choices, TTL_SECONDS)
    return choices


def _filter_choices(*, funder_scope: tuple[int, ...] | None) -> dict:
    funders = Organisation.objects.filter(kind=Organisation.Kind.FUND)
    call_qs = Call.objects.exclude(status=Call.Status.DRAFT)
    if funder_scope is not None:
        funders = funders.filter(pk__in=funder_scope)
        call_qs = call_qs.filter(funder_id__in=funder_scope)
    names = ("name_kk", "name_ru")  # all that a name is made of (``localized``)
    return {
        "districts": [(d.pk, d.name) for d in District.objects.only(*names)],
        "themes": [(t.pk, t.name) for t in FieldOfActivity.objects.only(*names)],
        "funders": [(o.pk, o.name) for o in funders.only(*names).order_by("name_ru")],
        "calls": [
            (c.pk, str(c))
            for c in call_qs.only("title_kk", "title_ru").order_by("-opens_at")[:200]
        ],
    }


# --- the public transparency page and open data ---------------------------------


def public_projects() -> QuerySet[Grant]:
    """Funded projects as the alliance publishes them: no people, no documents."""
    return (
        Grant.objects.filter(status__in=CONTRACTED_STATUSES)
        .select_related("organisation__district", "application")
        .annotate(beneficiaries=_beneficiaries_subquery())
        .order_by("-signed_at", "-pk")
    )


def public_members() -> QuerySet[Organisation]:
    return (
        members_on(on=timezone.localdate())
        .filter(is_published=True)
        .select_related("district")
        .order_by("name_kk", "pk")
    )


def public_memoranda() -> QuerySet[Memorandum]:
    return (
        Memorandum.objects.in_force()
        .prefetch_related("parties__organisation")
        .order_by("-valid_from", "pk")
    )


def public_calls() -> QuerySet[Call]:
    return Call.objects.open_now().select_related("funder").order_by("closes_at")


def public_counts() -> dict:
    """Small figures for the public landing card."""
    return {
        "projects": Grant.objects.filter(status__in=CONTRACTED_STATUSES).count(),
        "amount": _money(
            Grant.objects.filter(status__in=CONTRACTED_STATUSES).aggregate(
                total=Sum("amount")
            )["total"]
        ),
    }


# --- home panels ----------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationFigures:
    organisation: Organisation
    received: Decimal
    spent: Decimal
    applications: int
    funded: int


def organisation_figures(*, organisation: Organisation) -> OrganisationFigures:
    received = Tranche.objects.filter(
        grant__organisation=organisation, status=Tranche.Status.PAID
    ).aggregate(total=Sum("amount"))["total"]
    spent = Expenditure.objects.filter(grant__organisation=organisation).aggregate(
        total=Sum("amount")
    )["total"]
    apps = (
        Application.objects.filter(organisation=organisation)
        .exclude(status=Application.Status.DRAFT)
        .aggregate(
            n=Count("pk"),
            funded=Count("pk", filter=FUNDED_Q),
        )
    )
    return OrganisationFigures(
        organisation=organisation,
        received=_money(received),
        spent=_money(spent),
        applications=apps["n"],
        funded=apps["funded"],
    )


def filter_labels(filters: DashboardFilters) -> dict[str, str]:
    """The filters in words, for the exports' "applied filters" block."""
    from django.utils.formats import date_format

    def named(model, pk):
        obj = model.objects.filter(pk=pk).first() if pk else None
        return str(obj) if obj else str(_("All"))

    if filters.has_period:
        start = (
            date_format(filters.date_from, "SHORT_DATE_FORMAT")
            if filters.date_from
            else "…"
        )
        end = (
            date_format(filters.date_to, "SHORT_DATE_FORMAT")
            if filters.date_to
            else "…"
        )
        period = f"{start} – {end}"
    else:
        period = str(_("All time"))
    labels = {
        str(_("Period")): period,
        str(_("District")): named(District, filters.district),
        str(_("Funder")): named(Organisation, filters.funder),
        str(_("Theme")): named(FieldOfActivity, filters.theme),
        str(_("Call for proposals")): named(Call, filters.call),
    }
    if filters.funder_scope is not None:
        scope = Organisation.objects.filter(pk__in=filters.funder_scope)
        labels[str(_("Restricted to the fund"))] = (
            ", ".join(str(o) for o in scope) or "—"
        )
    return labels
