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
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncQuarter, TruncYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import Resolution
from grants.models import Expenditure, Grant, GrantMoneyQuarter, Report, Tranche
from members.models import District, FieldOfActivity, Organisation
from members.selectors import is_member_subquery, members_on
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


# --- headline -------------------------------------------------------------------


def _money(value) -> Decimal:
    return value if value is not None else ZERO


# --- money groups shared by several figures ---------------------------------------
#
# Paid and spent money come from the grants' quarter sums (``GrantMoneyQuarter``, a
# few rows per grant, kept by the grants services) instead of the 200,000
# expenditures and 10,000 tranches of ten years. A period that starts or ends inside
# a quarter takes that part of the quarter from the tranches and expenditures
# themselves (an index range on their date). Each source is grouped three ways by
# the database: by quarter (→ the quarter chart, the year chart and the headline
# total), by the (theme, funder) "cube" (→ the theme and funder charts)
# and by covered district (→ the district chart). Python only adds up the few
# aggregated groups, never rows of money.

# The cube's dimensions; districts are grouped apart, by the districts a project
# covers (``_by_covered_district``).
DIMENSIONS = {
    "theme": "application__theme_id",
    "funder": "funder_id",
}
MONEY_METRICS = ("paid", "spent")


@dataclass(frozen=True)
class MoneyGroups:
    paid_by_quarter: dict
    spent_by_quarter: dict
    contracted_cube: tuple
    # groups of (d_theme, d_funder) with "paid" and/or "spent"
    money_cube: tuple
    # {district pk: (total, n)} by the districts each project covers (see the top)
    contracted_by_district: dict
    # {district pk: {"paid": total, "spent": total}}
    money_by_district: dict


def _by_key(qs: QuerySet, key, amount: str = "amount") -> dict:
    """``{key: Decimal}`` summed by the database."""
    rows = qs.annotate(k=key).values("k").annotate(total=Sum(amount)).order_by()
    return {row["k"]: _money(row["total"]) for row in rows}


def _cube(qs: QuerySet, prefix: str = "", metrics: dict | None = None) -> tuple:
    from django.db.models import F

    keys = {name: F(prefix + path) for name, path in DIMENSIONS.items()}
    metrics = metrics or {"total": Sum("amount"), "n": Count("pk")}
    return tuple(
        qs.annotate(**{f"d_{k}": v for k, v in keys.items()})
        .values(*(f"d_{k}" for k in keys))
        .annotate(**metrics)
        .order_by()
    )


def _by_covered_district(
    qs: QuerySet, prefix: str = "", metrics: dict | None = None
) -> dict:
    """``{district pk: {metric: value}}``: each row counted in every district its
    grant's application lists, or in its NGO's district when it lists none (the
    outer join gives one row per listed district, or one row with none). One query,
    grouped by the database. Under a district filter the join is the filter's, so
    the rows count in the chosen district only."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    metrics = metrics or {"total": Sum("amount"), "n": Count("pk")}
    covered = Coalesce(
        F(f"{prefix}application__districts"), F(f"{prefix}organisation__district_id")
    )
    rows = qs.annotate(k=covered).values("k").annotate(**metrics).order_by()
    return {row["k"]: {name: row[name] for name in metrics} for row in rows}


def _add(into: dict, row: dict, names) -> None:
    for name in names:
        into[name] = into.get(name, 0) + (row[name] or 0)


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

    from django.db.models import F

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


def money_groups(f: DashboardFilters) -> MoneyGroups:
    by_quarter: dict = {name: {} for name in MONEY_METRICS}
    cube: list = []
    by_district: dict = {}
    for rows, quarter, sums in _money_sources(f):
        for row in rows.annotate(k=quarter).values("k").annotate(**sums).order_by():
            key = _quarter_start(row["k"])
            for name in sums:
                totals = by_quarter[name]
                totals[key] = totals.get(key, ZERO) + _money(row[name])
        cube.extend(_cube(rows, "grant__", sums))
        for key, values in _by_covered_district(rows, "grant__", sums).items():
            _add(by_district.setdefault(key, {}), values, sums)
    return MoneyGroups(
        paid_by_quarter=by_quarter["paid"],
        spent_by_quarter=by_quarter["spent"],
        contracted_cube=_cube(contracted_grants(f)),
        money_cube=tuple(cube),
        contracted_by_district={
            key: (_money(v["total"]), v["n"])
            for key, v in _by_covered_district(contracted_grants(f)).items()
        },
        money_by_district=by_district,
    )


def _roll_up(cube: tuple, dimension: str, metric: str = "total") -> dict:
    """Add the cube's groups up along one dimension: ``{pk: (total, n)}``."""
    totals: dict = {}
    for group in cube:
        if metric not in group:
            continue
        key = group[f"d_{dimension}"]
        total, n = totals.get(key, (ZERO, 0))
        totals[key] = (total + _money(group[metric]), n + group.get("n", 0))
    return totals


# --- headline -------------------------------------------------------------------


def headline(
    f: DashboardFilters,
    groups: MoneyGroups | None = None,
    funnel_rows: tuple[CountRow, ...] | None = None,
) -> Headline:
    """The headline figures; the applications are the funnel's "submitted" (passed
    in when the funnel is computed anyway)."""
    groups = groups or money_groups(f)
    call_figures = calls(f).aggregate(total=Sum("envelope"), n=Count("pk"))
    in_period = _datetime_q("signed_at", f)
    grant_figures = Grant.objects.filter(
        _grant_q(f), status__in=CONTRACTED_STATUSES
    ).aggregate(
        contracted=Sum("amount", filter=in_period),
        projects=Count("pk", filter=in_period),
        ngos=Count("organisation", filter=in_period, distinct=True),
        returned=Sum("returned_amount", filter=_datetime_q("closed_at", f)),
    )
    beneficiaries = Report.objects.filter(
        _grant_q(f, "grant__"),
        _date_q("period_end", f),
        status=Report.Status.APPROVED,
    ).aggregate(total=Sum("beneficiaries_reached"))["total"]
    funnel_rows = funnel_rows or funnel(f)
    applications = next(r.count for r in funnel_rows if r.code == "submitted")
    return Headline(
        allocated=_money(call_figures["total"]),
        contracted=_money(grant_figures["contracted"]),
        paid=sum(groups.paid_by_quarter.values(), ZERO),
        spent=sum(groups.spent_by_quarter.values(), ZERO),
        returned=_money(grant_figures["returned"]),
        calls=call_figures["n"],
        applications=applications,
        funded_projects=grant_figures["projects"],
        ngos_funded=grant_figures["ngos"],
        beneficiaries=beneficiaries or 0,
        members_now=_members_on(timezone.localdate()),
        members_at_start=_members_on(f.date_from) if f.date_from else None,
    )


def _members_on(day: datetime.date) -> int:
    # members_on() is the definition; EXISTS instead of its DISTINCT join is the
    # same set, counted without sorting every organisation column.
    return Organisation.objects.filter(is_member_subquery(day)).count()


# --- series ---------------------------------------------------------------------


def by_year(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[YearRow, ...]:
    groups = groups or money_groups(f)
    parts = (
        _by_key(calls(f), TruncYear("opens_at"), "envelope"),
        _by_key(contracted_grants(f), TruncYear("signed_at")),
        groups.paid_by_quarter,
        groups.spent_by_quarter,
    )
    years: dict[int, list[Decimal]] = {}
    for index, part in enumerate(parts):
        for key, total in part.items():
            years.setdefault(key.year, [ZERO] * 4)[index] += total
    return tuple(YearRow(year, *years[year]) for year in sorted(years))


def _by_dimension(
    f: DashboardFilters,
    dimension: str,
    labels: dict,
    groups: MoneyGroups | None,
    keep_all: bool = False,
) -> tuple[DimensionRow, ...]:
    groups = groups or money_groups(f)
    if dimension == "district":
        contracted = groups.contracted_by_district
        paid, spent = (
            {
                key: (_money(values.get(metric)), 0)
                for key, values in groups.money_by_district.items()
                if metric in values
            }
            for metric in MONEY_METRICS
        )
    else:
        contracted = _roll_up(groups.contracted_cube, dimension)
        paid = _roll_up(groups.money_cube, dimension, "paid")
        spent = _roll_up(groups.money_cube, dimension, "spent")
    keys = set(contracted) | set(paid) | set(spent)
    if keep_all:
        keys |= set(labels)
    if dimension == "district" and f.district:
        # a project in the chosen district also covers others: show the chosen one
        keys &= set(labels)
    order = {pk: index for index, pk in enumerate(labels)}
    rows = [
        DimensionRow(
            pk=key,
            label=str(labels.get(key, _("Not specified"))),
            projects=contracted.get(key, (ZERO, 0))[1],
            contracted=contracted.get(key, (ZERO, 0))[0],
            paid=paid.get(key, (ZERO, 0))[0],
            spent=spent.get(key, (ZERO, 0))[0],
        )
        for key in keys
    ]
    rows.sort(key=lambda r: (order.get(r.pk, len(order)), r.label))
    return tuple(rows)


def _labels(queryset) -> dict:
    return {obj.pk: obj.name for obj in queryset}


def by_district(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    """Every district of the region, even with nothing in it (a zero is a finding)."""
    districts = District.objects.all()
    if f.district:
        districts = districts.filter(pk=f.district)
    return _by_dimension(f, "district", _labels(districts), groups, keep_all=True)


def by_theme(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    return _by_dimension(f, "theme", _labels(FieldOfActivity.objects.all()), groups)


def by_funder(
    f: DashboardFilters, groups: MoneyGroups | None = None
) -> tuple[DimensionRow, ...]:
    funders = Organisation.objects.filter(kind=Organisation.Kind.FUND)
    if f.funder_scope is not None:
        funders = funders.filter(pk__in=f.funder_scope)
    if f.funder:
        funders = funders.filter(pk=f.funder)
    return _by_dimension(f, "funder", _labels(funders.order_by("name_ru")), groups)


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
    metrics = {
        code: Count(
            "pk",
            filter=(
                statuses
                if isinstance(statuses, Q)
                else Q(status__in=statuses)
                if statuses
                else Q()
            ),
        )
        for code, _label, statuses in FUNNEL
    }
    counts = submitted_applications(f).aggregate(**metrics)
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
    paid = {_quarter_start(k): v for k, v in groups.paid_by_quarter.items()}
    spent = {_quarter_start(k): v for k, v in groups.spent_by_quarter.items()}
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
    today = timezone.localdate()
    is_open = Q(status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS])
    overdue = is_open & Q(due_on__lt=today)
    counts = qs.aggregate(
        overdue=Count("pk", filter=overdue),
        planned=Count("pk", filter=Q(status=Commitment.Status.PLANNED) & ~overdue),
        in_progress=Count(
            "pk", filter=Q(status=Commitment.Status.IN_PROGRESS) & ~overdue
        ),
        done=Count("pk", filter=Q(status=Commitment.Status.DONE)),
        dropped=Count("pk", filter=Q(status=Commitment.Status.DROPPED)),
    )
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
    counts = qs.aggregate(
        **{
            code: Count("pk", filter=Q(status=code))
            for code in Resolution.Status.values
        }
    )
    return tuple(
        CountRow(code, str(label), counts[code] or 0)
        for code, label in Resolution.Status.choices
    )


def dashboard_figures(*, filters: DashboardFilters) -> DashboardData:
    """Every figure of the dashboard, straight from the database (~20 queries
    whatever the data size)."""
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
    return {
        "districts": [(d.pk, d.name) for d in District.objects.all()],
        "themes": [(t.pk, t.name) for t in FieldOfActivity.objects.all()],
        "funders": [(o.pk, o.name) for o in funders.order_by("name_ru")],
        "calls": [(c.pk, str(c)) for c in call_qs.order_by("-opens_at")[:200]],
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
