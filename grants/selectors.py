"""Every read of the grants pages and exports, scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Round
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from alliance_portal.money import format_tenge, to_money
from alliance_portal.paging import page_over_ids
from alliance_portal.permissions import (
    Role,
    is_fund_officer,
    is_ngo_leader,
    is_official,
    is_staff_member,
)
from members.models import Affiliation, User
from projects.models import Application

from .models import (
    Expenditure,
    Grant,
    GrantBudgetLine,
    GrantStatusChange,
    MoneyAuditEntry,
    Report,
    Tranche,
)

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def _sum(expr) -> Coalesce:
    return Coalesce(Sum(expr), Value(ZERO), output_field=MONEY_FIELD)


def _minus(a: str, b: str) -> Round:
    # SQLite subtracts decimals as floats; rounding to the tiyn gives back the exact
    # amount (PostgreSQL computes numerics exactly anyway).
    return Round(
        ExpressionWrapper(F(a) - F(b), output_field=MONEY_FIELD),
        2,
        output_field=MONEY_FIELD,
    )


def organisation_ids_of(*, user) -> list[int]:
    """Organisations the user belongs to by an approved affiliation."""
    if not user.is_authenticated:
        return []
    return list(
        Affiliation.objects.filter(
            user=user, status=Affiliation.Status.APPROVED
        ).values_list("organisation_id", flat=True)
    )


def grants_visible_to(*, user) -> QuerySet[Grant]:
    """Staff, admins and officials: all grants; NGO leaders: their organisations'
    grants; fund officers: grants funded by their fund; everyone else: none."""
    qs = Grant.objects.all()
    if is_staff_member(user) or is_official(user):
        return qs
    if is_ngo_leader(user):
        return qs.filter(organisation_id__in=organisation_ids_of(user=user))
    if is_fund_officer(user):
        return qs.filter(funder_id__in=organisation_ids_of(user=user))
    return qs.none()


def _paid_subquery():
    return Subquery(
        Tranche.objects.filter(grant=OuterRef("pk"), status=Tranche.Status.PAID)
        .values("grant")
        .annotate(s=Sum("amount"))
        .values("s"),
        output_field=MONEY_FIELD,
    )


def _spent_subquery():
    return Subquery(
        Expenditure.objects.filter(grant=OuterRef("pk"))
        .values("grant")
        .annotate(s=Sum("amount"))
        .values("s"),
        output_field=MONEY_FIELD,
    )


def with_money(qs: QuerySet[Grant]) -> QuerySet[Grant]:
    """Annotate ``received`` (paid tranches), ``spent`` and ``balance`` per grant with
    subqueries, so that the two sums never multiply each other's rows."""
    return qs.annotate(
        received=Coalesce(_paid_subquery(), Value(ZERO), output_field=MONEY_FIELD),
        spent=Coalesce(_spent_subquery(), Value(ZERO), output_field=MONEY_FIELD),
    ).annotate(balance=_minus("received", "spent"))


def grants_table(*, user, filters: dict | None = None) -> QuerySet[Grant]:
    """The staff table: filterable by call, funder, district and status."""
    filters = filters or {}
    qs = grants_visible_to(user=user).select_related(
        "application__call", "organisation__district", "funder"
    )
    if filters.get("call"):
        qs = qs.filter(application__call_id=filters["call"])
    if filters.get("funder"):
        qs = qs.filter(funder_id=filters["funder"])
    if filters.get("district"):
        qs = qs.filter(organisation__district_id=filters["district"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return with_money(qs).order_by("-created_at", "-pk")


def grants_table_page(*, user, filters: dict | None, page_number, per_page: int):
    """One page of :func:`grants_table`: only its rows get the money subqueries."""
    return page_over_ids(
        grants_table(user=user, filters=filters),
        page_number=page_number,
        per_page=per_page,
    )


def applications_awaiting_grant(*, user) -> QuerySet[Application]:
    """Recommended applications that have no grant yet (staff create grants)."""
    if not is_staff_member(user):
        return Application.objects.none()
    # NOT EXISTS, not a LEFT JOIN … IS NULL: PostgreSQL then estimates the thousands
    # of unfunded recommendations of ten years instead of one row, and joins by hash.
    return (
        Application.objects.filter(status=Application.Status.RECOMMENDED)
        .filter(~Exists(Grant.objects.filter(application=OuterRef("pk"))))
        .select_related("organisation")
        .only(
            "pk",
            "number",
            "title",
            "created_at",
            "organisation__name_kk",
            "organisation__name_ru",
        )
        .order_by("created_at")
    )


def my_grants(*, user) -> QuerySet[Grant]:
    """The NGO leader's grants with money received, spent and the next report due."""
    # A report is due by the planned date of the tranche it releases.
    next_due = Subquery(
        Tranche.objects.filter(
            grant=OuterRef("pk"),
            condition=Tranche.Condition.REPORT_APPROVED,
            status__in=[
                Tranche.Status.PLANNED,
                Tranche.Status.REQUESTED,
                Tranche.Status.HELD,
            ],
        )
        .order_by("planned_on")
        .values("planned_on")[:1],
        output_field=DateField(),
    )
    qs = Grant.objects.filter(
        organisation_id__in=organisation_ids_of(user=user)
    ).select_related("application", "funder")
    return with_money(qs).annotate(next_report_due=next_due).order_by("-created_at")


@dataclass(frozen=True)
class MoneySummary:
    amount: Decimal
    received: Decimal
    spent: Decimal
    returned: Decimal
    pending_overspend: int

    @property
    def remaining(self) -> Decimal:
        """What the NGO still holds of what it received."""
        return self.received - self.spent - self.returned

    @property
    def not_yet_received(self) -> Decimal:
        return self.amount - self.received

    @property
    def reconciled(self) -> bool:
        return self.received == self.spent + self.returned


def grant_money(*, grant: Grant) -> MoneySummary:
    paid = Tranche.objects.filter(grant=grant, status=Tranche.Status.PAID).aggregate(
        s=_sum("amount")
    )["s"]
    spending = Expenditure.objects.filter(grant=grant).aggregate(
        s=_sum("amount"),
        n=Sum(
            Value(1),
            filter=Q(is_overspend=True, overspend_approved_by__isnull=True),
        ),
    )
    return MoneySummary(
        amount=grant.amount,
        received=to_money(paid),
        spent=to_money(spending["s"]),
        returned=grant.returned_amount,
        pending_overspend=spending["n"] or 0,
    )


def budget_lines_with_spending(*, grant: Grant) -> QuerySet[GrantBudgetLine]:
    """Per line: ``planned``, ``spent`` and ``remaining`` by the database."""
    return (
        GrantBudgetLine.objects.filter(grant=grant)
        .annotate(spent=_sum("expenditures__amount"))
        .annotate(remaining=_minus("planned", "spent"))
        .order_by("order", "pk")
    )


def report_financial_part(*, report: Report) -> list[dict]:
    """The financial part of a report: the period's spending per budget line."""
    rows = (
        Expenditure.objects.filter(
            grant_id=report.grant_id,
            spent_on__gte=report.period_start,
            spent_on__lte=report.period_end,
        )
        .values("budget_line_id", "budget_line__item", "budget_line__planned")
        .annotate(spent=_sum("amount"))
        .order_by("budget_line__order", "budget_line_id")
    )
    return list(rows)


def report_expenditures(*, report: Report) -> QuerySet[Expenditure]:
    return Expenditure.objects.filter(
        grant_id=report.grant_id,
        spent_on__gte=report.period_start,
        spent_on__lte=report.period_end,
    ).select_related("budget_line")


def report_approval_blockers(*, report: Report) -> QuerySet[Expenditure]:
    """Over-spends in the report's period still waiting for a staff decision: the
    report cannot be approved (and release the next tranche) before they are decided."""
    return report_expenditures(report=report).filter(
        is_overspend=True, overspend_approved_by__isnull=True
    )


def contract_signed(grant: Grant) -> bool:
    """Money may move: the grant is signed, on paper (the scan uploaded) or with every
    party's verified ЭЦП."""
    return grant.status in Grant.MONEY_STATUSES and (
        bool(grant.signed_scan) or grant.signed_contract_id is not None
    )


def tranche_condition_holds(*, tranche: Tranche) -> bool:
    """The contract is signed and, for a report condition, report N of the grant is
    approved."""
    grant = tranche.grant
    if not contract_signed(grant):
        return False
    if tranche.condition == Tranche.Condition.CONTRACT_SIGNED:
        return True
    return Report.objects.filter(
        grant_id=grant.pk,
        number=tranche.condition_report_number,
        status=Report.Status.APPROVED,
    ).exists()


def tranches_with_readiness(*, grant: Grant) -> list[Tranche]:
    """The grant's tranches, each with ``missing``: what must happen before it can be
    requested or approved (``None`` when its condition holds now). Same rule as
    :func:`tranche_condition_holds`, in two queries for the whole schedule."""
    from django.utils.translation import gettext as _

    tranches = list(grant.tranches.select_related("confirmed_by"))
    approved = set(
        Report.objects.filter(
            grant_id=grant.pk, status=Report.Status.APPROVED
        ).values_list("number", flat=True)
    )
    signed = contract_signed(grant)
    for t in tranches:
        if not signed:
            t.missing = _(
                "the contract is not signed yet (its signed scan or every party's ЭЦП)"
            )
        elif (
            t.condition != Tranche.Condition.CONTRACT_SIGNED
            and t.condition_report_number not in approved
        ):
            t.missing = _("report №%(n)s is not approved yet") % {
                "n": t.condition_report_number
            }
        else:
            t.missing = None
    return tranches


def tranches_for_fund_officer(*, user) -> dict[str, QuerySet[Tranche]]:
    """Tranches of grants funded by the officer's fund: awaiting payment, and paid."""
    base = Tranche.objects.filter(
        grant__in=grants_visible_to(user=user)
    ).select_related("grant__organisation", "grant__funder", "confirmed_by")
    return {
        "awaiting": base.filter(status=Tranche.Status.APPROVED).order_by(
            "planned_on", "pk"
        ),
        # by the payment date the list shows, not by when it was confirmed
        "paid": base.filter(status=Tranche.Status.PAID).order_by(
            "-paid_on", "-paid_at", "-pk"
        ),
    }


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    actor: str
    what: str
    before: str
    after: str


# Audit rows keep the model's name, the field's name and the raw value as text (an
# append-only record must not depend on today's labels); a person reads the field's
# translated name, the status label and money formatted in the active language.
_AUDIT_LABELS = {"overspend_approved": _("over-spending approved by")}


def _audit_model_field(entry: MoneyAuditEntry):
    try:
        model = apps.get_model("grants", entry.object_type)
        return model._meta.get_field(entry.field)
    except (LookupError, FieldDoesNotExist):
        return None


def _audit_field_label(entry: MoneyAuditEntry) -> str:
    if entry.field in _AUDIT_LABELS:
        return str(_AUDIT_LABELS[entry.field])
    field = _audit_model_field(entry)
    if field is None:
        return str(_("value"))
    # "amount, ₸": the value shown next to it already carries the currency
    return str(field.verbose_name).removesuffix(", ₸")


def _audit_value(entry: MoneyAuditEntry, raw: str) -> str:
    field = _audit_model_field(entry)
    if not raw or field is None:
        return raw
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(field, DecimalField):
        try:
            return format_tenge(Decimal(raw))
        except (InvalidOperation, TypeError):
            return raw
    return raw


def grant_timeline(*, grant: Grant) -> list[TimelineEvent]:
    """Money audit rows and status changes of the grant, oldest first."""
    audit = MoneyAuditEntry.objects.filter(grant=grant).select_related("actor")
    events = [
        TimelineEvent(
            at=a.created_at,
            actor=str(a.actor or ""),
            what=f"{a.object_label} · {capfirst(_audit_field_label(a))}",
            before=_audit_value(a, a.before),
            after=_audit_value(a, a.after),
        )
        for a in audit
    ]
    changes = GrantStatusChange.objects.filter(grant=grant).select_related("actor")
    events += [
        TimelineEvent(
            at=c.created_at,
            actor=str(c.actor or ""),
            what=str(grant),
            before=Grant.Status(c.from_status).label if c.from_status else "",
            after=Grant.Status(c.to_status).label,
        )
        for c in changes
    ]
    return sorted(events, key=lambda e: e.at)


def leaders_of(*, organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role=Role.NGO_LEADER,
        affiliations__organisation_id=organisation_id,
        affiliations__status=Affiliation.Status.APPROVED,
    ).distinct()


def fund_officers_of(*, funder_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        role=Role.FUND_OFFICER,
        affiliations__organisation_id=funder_id,
        affiliations__status=Affiliation.Status.APPROVED,
    ).distinct()


def staff_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=[Role.STAFF, Role.ADMIN])
