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

A project's district is its executing NGO's district (an application may name several
districts; counting the NGO's one never counts a tenge twice).
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
from grants.models import Expenditure, Grant, Report, Tranche
from members.models import District, FieldOfActivity, Organisation
from members.selectors import members_on
from memoranda.models import Commitment, Memorandum, MemorandumParty
from projects.models import Application, Call

from .cache import TTL_SECONDS, figures_key
from .filters import DashboardFilters

ZERO = Decimal("0.00")
CONTRACTED_STATUSES = (*Grant.MONEY_STATUSES, Grant.Status.CLOSED)
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
        q &= Q(**{f"{prefix}organisation__district_id": f.district})
    if f.theme:
        q &= Q(**{f"{prefix}application__theme_id": f.theme})
    if f.call:
        q &= Q(**{f"{prefix}application__call_id": f.call})
    return q


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
        qs = qs.filter(organisation__district_id=f.district)
    if f.theme:
        qs = qs.filter(theme_id=f.theme)
    if f.call:
        qs = qs.filter(call_id=f.call)
    return qs


# --- headline -------------------------------------------------------------------


def _money(value) -> Decimal:
    return value if value is not None else ZERO


def headline(f: DashboardFilters) -> Headline:
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
    paid = paid_tranches(f).aggregate(total=Sum("amount"))["total"]
    spent = expenditures(f).aggregate(total=Sum("amount"))["total"]
    beneficiaries = Report.objects.filter(
        _grant_q(f, "grant__"),
        _date_q("period_end", f),
        status=Report.Status.APPROVED,
    ).aggregate(total=Sum("beneficiaries_reached"))["total"]
    applications = submitted_applications(f).count()
    members_now = members_on(on=timezone.localdate()).count()
    members_at_start = members_on(on=f.date_from).count() if f.date_from else None
    return Headline(
        allocated=_money(call_figures["total"]),
        contracted=_money(grant_figures["contracted"]),
        paid=_money(paid),
        spent=_money(spent),
        returned=_money(grant_figures["returned"]),
        calls=call_figures["n"],
        applications=applications,
        funded_projects=grant_figures["projects"],
        ngos_funded=grant_figures["ngos"],
        beneficiaries=beneficiaries or 0,
        members_now=members_now,
        members_at_start=members_at_start,
    )


# --- series ---------------------------------------------------------------------


def _totals_by(qs: QuerySet, key, amount: str = "amount", count: bool = False) -> dict:
    """``{key: {"total": Decimal, "n": int}}`` grouped by the database."""
    metrics = {"total": Sum(amount)}
    if count:
        metrics["n"] = Count("pk")
    rows = qs.annotate(k=key).values("k").annotate(**metrics).order_by()
    return {row["k"]: row for row in rows}


def _year_of(value) -> int:
    return value.year


def by_year(f: DashboardFilters) -> tuple[YearRow, ...]:
    allocated = _totals_by(calls(f), TruncYear("opens_at"), "envelope")
    contracted = _totals_by(contracted_grants(f), TruncYear("signed_at"))
    paid = _totals_by(paid_tranches(f), TruncYear("paid_on"))
    spent = _totals_by(expenditures(f), TruncYear("spent_on"))
    parts = (allocated, contracted, paid, spent)
    years: dict[int, list[Decimal]] = {}
    for index, part in enumerate(parts):
        for key, row in part.items():
            years.setdefault(_year_of(key), [ZERO] * 4)[index] += _money(row["total"])
    return tuple(YearRow(year, *years[year]) for year in sorted(years))


def _by_dimension(
    f: DashboardFilters, grant_path: str, labels: dict, keep_all: bool = False
) -> tuple[DimensionRow, ...]:
    """Contracted, paid and spent grouped by a path from the grant (``funder_id``,
    ``organisation__district_id``, ``application__theme_id``)."""
    from django.db.models import F

    contracted = _totals_by(contracted_grants(f), F(grant_path), count=True)
    paid = _totals_by(paid_tranches(f), F(f"grant__{grant_path}"))
    spent = _totals_by(expenditures(f), F(f"grant__{grant_path}"))
    keys = set(contracted) | set(paid) | set(spent)
    if keep_all:
        keys |= set(labels)
    order = {pk: index for index, pk in enumerate(labels)}
    rows = [
        DimensionRow(
            pk=key,
            label=str(labels.get(key, _("Not specified"))),
            projects=contracted.get(key, {}).get("n", 0),
            contracted=_money(contracted.get(key, {}).get("total")),
            paid=_money(paid.get(key, {}).get("total")),
            spent=_money(spent.get(key, {}).get("total")),
        )
        for key in keys
    ]
    rows.sort(key=lambda r: order.get(r.pk, len(order)))
    return tuple(rows)


def _labels(queryset) -> dict:
    return {obj.pk: obj.name for obj in queryset}


def by_district(f: DashboardFilters) -> tuple[DimensionRow, ...]:
    """Every district of the region, even with nothing in it (a zero is a finding)."""
    districts = District.objects.all()
    if f.district:
        districts = districts.filter(pk=f.district)
    return _by_dimension(
        f, "organisation__district_id", _labels(districts), keep_all=True
    )


def by_theme(f: DashboardFilters) -> tuple[DimensionRow, ...]:
    return _by_dimension(
        f, "application__theme_id", _labels(FieldOfActivity.objects.all())
    )


def by_funder(f: DashboardFilters) -> tuple[DimensionRow, ...]:
    funders = Organisation.objects.filter(
        Q(kind=Organisation.Kind.FUND) | Q(funded_grants__isnull=False)
    ).distinct()
    if f.funder_scope is not None:
        funders = funders.filter(pk__in=f.funder_scope)
    return _by_dimension(f, "funder_id", _labels(funders.order_by("name_ru")))


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
    ("funded", _("Funded"), (Application.Status.FUNDED,)),
)


def funnel(f: DashboardFilters) -> tuple[CountRow, ...]:
    metrics = {
        code: Count("pk", filter=Q(status__in=statuses) if statuses else Q())
        for code, _label, statuses in FUNNEL
    }
    counts = submitted_applications(f).aggregate(**metrics)
    return tuple(CountRow(code, str(label), counts[code]) for code, label, _s in FUNNEL)


def _quarter_label(value: datetime.date) -> str:
    return f"{value.year} Q{(value.month - 1) // 3 + 1}"


def quarters(f: DashboardFilters) -> tuple[QuarterRow, ...]:
    paid = _totals_by(paid_tranches(f), TruncQuarter("paid_on"))
    spent = _totals_by(expenditures(f), TruncQuarter("spent_on"))
    keys = sorted(set(paid) | set(spent))
    return tuple(
        QuarterRow(
            label=_quarter_label(key),
            paid=_money(paid.get(key, {}).get("total")),
            spent=_money(spent.get(key, {}).get("total")),
        )
        for key in keys
    )


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
    """Every figure of the dashboard, straight from the database."""
    return DashboardData(
        filters=filters,
        headline=headline(filters),
        by_year=by_year(filters),
        by_district=by_district(filters),
        by_theme=by_theme(filters),
        by_funder=by_funder(filters),
        funnel=funnel(filters),
        quarters=quarters(filters),
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
            Report.objects.filter(grant_id=OuterRef("pk"), status=Report.Status.APPROVED)
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
            "organisation__district", "funder", "application__call", "application__theme"
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
        tranches=tuple(grant.tranches.order_by("sequence")),
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
            funded=Count("pk", filter=Q(status=Application.Status.FUNDED)),
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
        start = date_format(filters.date_from, "SHORT_DATE_FORMAT") if filters.date_from else "…"
        end = date_format(filters.date_to, "SHORT_DATE_FORMAT") if filters.date_to else "…"
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
