"""Grants: the tripartite contract, its budget, tranches, spending, reports, monitoring
and closure. Statuses move only through ``grants.services``; the models hold the
fields, the database constraints and the transition tables (guards)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel, StatusChange
from alliance_portal.uploads import generated_name
from members.models import Organisation
from memoranda.models import Memorandum
from projects.models import Application, BudgetLine, Call

MONEY = {"max_digits": 14, "decimal_places": 2}


# Private files live under ``private/``; they are only ever served by views that
# check permissions (MEDIA_URL is not served publicly).
def upload_signed_scan(instance, filename: str) -> str:
    return f"private/grants/{instance.pk}/contract/{generated_name(filename)}"


def upload_receipt(instance, filename: str) -> str:
    return f"private/grants/{instance.grant_id}/receipts/{generated_name(filename)}"


def upload_report_photo(instance, filename: str) -> str:
    grant = instance.report.grant_id
    return f"private/grants/{grant}/photos/{generated_name(filename)}"


class GrantQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Grant.Status.CLOSED)

    def money_can_move(self):
        return self.filter(status__in=Grant.MONEY_STATUSES)


class ContractTemplate(BaseModel):
    """The clauses of the tripartite contract that staff maintain: the default one,
    or one for a call or for a funder (a call's template wins over its funder's).
    Its text lives in immutable :class:`ContractTemplateVersion` rows; a contract
    records the version it was made from."""

    title = models.CharField(_("title"), max_length=200)
    call = models.OneToOneField(
        Call,
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_template",
    )
    funder = models.OneToOneField(
        Organisation,
        verbose_name=_("funder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract_template",
    )
    # The memorandum the money flows under; empty: the tripartite one in force
    # on the contract's date.
    memorandum = models.ForeignKey(
        Memorandum,
        verbose_name=_("memorandum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(call__isnull=True) | Q(funder__isnull=True),
                name="contract_template_call_or_funder",
            ),
            models.UniqueConstraint(
                fields=["title"],
                condition=Q(call__isnull=True, funder__isnull=True),
                name="contract_template_one_default_per_title",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> ContractTemplateVersion | None:
        return self.versions.order_by("-version").first()


class ContractTemplateVersion(models.Model):
    """One version of a template's clauses, in Kazakh and Russian. Never changed:
    editing the template adds a version, so a contract keeps the text it was made
    from. ``clauses`` maps a clause key (``grants.contract.CLAUSES``) to
    ``{"kk": text, "ru": text}``, one numbered point per line."""

    template = models.ForeignKey(
        ContractTemplate,
        verbose_name=_("contract template"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("version"))
    clauses = models.JSONField(_("clauses"), default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contract template version")
        verbose_name_plural = _("contract template versions")
        ordering = ["template", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "version"], name="contract_template_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A template version is immutable: add a new version.")
        super().save(*args, **kwargs)


class Grant(BaseModel):
    """A funded project: the application, the executing NGO, the funder and the money."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONTRACT_GENERATED = "contract_generated", _("Contract generated")
        SIGNED = "signed", _("Contract signed")
        ACTIVE = "active", _("Active")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.CONTRACT_GENERATED,),
        Status.CONTRACT_GENERATED: (Status.DRAFT, Status.SIGNED),
        Status.SIGNED: (Status.ACTIVE, Status.CLOSING),
        Status.ACTIVE: (Status.CLOSING,),
        Status.CLOSING: (Status.ACTIVE, Status.CLOSED),
        Status.CLOSED: (),
    }
    # Before signing the budget and the schedule may still be edited.
    EDITABLE_STATUSES = (Status.DRAFT, Status.CONTRACT_GENERATED)
    # Once signed, money may move (tranches, expenditures, reports).
    MONEY_STATUSES = (Status.SIGNED, Status.ACTIVE, Status.CLOSING)

    number = models.CharField(_("number"), max_length=30, unique=True)
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="grant",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("executing organisation"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funded_grants",
    )
    amount = models.DecimalField(_("grant amount, ₸"), **MONEY)
    # Kept equal to the sum of the tranches by the tranche services under a row lock
    # on the grant. Why not a deferred constraint trigger: triggers are not portable
    # between PostgreSQL (CI, production) and SQLite (local tests) and hide logic from
    # the ORM. With this column the database itself refuses a signed grant whose
    # schedule does not add up (CheckConstraint below), and every tranche write
    # serialises on the grant row, so the column cannot drift from the real sum.
    tranches_total = models.DecimalField(_("sum of tranches, ₸"), default=0, **MONEY)
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    contract_version = models.PositiveIntegerField(_("contract version"), default=0)
    # The template version the current contract version was made from.
    contract_template = models.ForeignKey(
        ContractTemplateVersion,
        verbose_name=_("contract template version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    signed_scan = models.FileField(
        _("signed contract scan"), upload_to=upload_signed_scan, blank=True
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    # The issued contract version every party signed with ЭЦП (instead of a scan).
    signed_contract = models.ForeignKey(
        "alliance_portal.IssuedDocument",
        verbose_name=_("contract signed with ЭЦП"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_amount = models.DecimalField(_("returned unspent, ₸"), default=0, **MONEY)
    # Set only when staff knowingly exceed the call's budget envelope.
    envelope_override_reason = models.TextField(
        _("reason for exceeding the call's envelope"), blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="grant_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="grant_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(returned_amount__gte=0)
                & Q(returned_amount__lte=F("amount")),
                name="grant_returned_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "contract_generated"])
                | Q(tranches_total=F("amount")),
                name="grant_tranches_add_up_once_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["signed", "active", "closing", "closed"])
                | ~Q(signed_scan="")
                | Q(signed_contract__isnull=False),
                name="grant_signed_has_scan_or_ecp",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            # The dashboard funnel's "funded": joined in application order with the
            # applications' figures index (a merge join, no hash of every grant).
            models.Index(
                fields=["application"],
                include=["status"],
                name="grant_application_status_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def can_move_to(self, to_status: str) -> bool:
        return to_status in self.TRANSITIONS.get(self.status, ())

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def money_can_move(self) -> bool:
        return self.status in self.MONEY_STATUSES

    @property
    def title(self) -> str:
        return self.application.title


class GrantStatusChange(StatusChange):
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("grant status change")
        verbose_name_plural = _("grant status changes")

    def __str__(self) -> str:
        return f"{self.grant}: {self.from_status} → {self.to_status}"


class GrantBudgetLine(models.Model):
    """The approved budget: copied from the application, adjusted by staff before
    signing, moved between lines afterwards only by approved budget revisions."""

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    source_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("application budget line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.CharField(
        _("category"), max_length=20, choices=BudgetLine.Category.choices
    )
    item = models.CharField(_("item"), max_length=300)
    planned = models.DecimalField(_("planned, ₸"), **MONEY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("grant budget line")
        verbose_name_plural = _("grant budget lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned__gte=0), name="grant_budget_line_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.item


class BudgetRevision(BaseModel):
    """A request by the NGO to move money from one line to another. The grant's total
    never changes here: changing the total is a formal amendment (a separate action)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="budget_revisions",
    )
    from_line = models.ForeignKey(
        GrantBudgetLine,
        verbose_name=_("from line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_line = models.ForeignKey(
        GrantBudgetLine,
        verbose_name=_("to line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount, ₸"), **MONEY)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="budget_revision_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(from_line=F("to_line")),
                name="budget_revision_lines_differ",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_line} → {self.to_line}: {self.amount}"


class Tranche(BaseModel):
    """One instalment of the grant, paid by the fund when its condition holds."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved for payment")
        PAID = "paid", _("Paid")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Not disbursed (grant closed)")

    class Condition(models.TextChoices):
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")
        REPORT_APPROVED = "report_approved", _("Report approved")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PLANNED: (Status.REQUESTED, Status.APPROVED, Status.HELD),
        Status.REQUESTED: (Status.APPROVED, Status.HELD),
        Status.APPROVED: (Status.PAID, Status.HELD),
        Status.HELD: (Status.PLANNED,),
        Status.PAID: (),
        Status.CANCELLED: (),
    }

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="tranches",
    )
    sequence = models.PositiveSmallIntegerField(_("number"))
    planned_on = models.DateField(_("planned date"))
    amount = models.DecimalField(_("amount, ₸"), **MONEY)
    condition = models.CharField(
        _("condition"),
        max_length=20,
        choices=Condition.choices,
        default=Condition.CONTRACT_SIGNED,
    )
    condition_report_number = models.PositiveSmallIntegerField(
        _("report number"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    held_reason = models.TextField(_("reason for holding"), blank=True)
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payment confirmed at"), null=True, blank=True)
    payment_document = models.CharField(
        _("payment document number"), max_length=100, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["grant", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "sequence"], name="tranche_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="tranche_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(condition="report_approved")
                | Q(condition_report_number__isnull=False),
                name="tranche_report_condition_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (
                    Q(paid_on__isnull=False)
                    & Q(paid_at__isnull=False)
                    & ~Q(payment_document="")
                ),
                name="tranche_paid_has_payment",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | ~Q(held_reason=""),
                name="tranche_held_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.grant} #{self.sequence}"

    def can_move_to(self, to_status: str) -> bool:
        return to_status in self.TRANSITIONS.get(self.status, ())


class TrancheStatusChange(StatusChange):
    tranche = models.ForeignKey(
        Tranche,
        verbose_name=_("tranche"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("tranche status change")
        verbose_name_plural = _("tranche status changes")

    def __str__(self) -> str:
        return f"{self.tranche}: {self.from_status} → {self.to_status}"


class Expenditure(BaseModel):
    """Money spent by the NGO against one line of the grant's budget."""

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    budget_line = models.ForeignKey(
        GrantBudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=500)
    amount = models.DecimalField(_("amount, ₸"), **MONEY)
    supplier = models.CharField(_("supplier"), max_length=300)
    payment_document = models.CharField(_("payment document"), max_length=100)
    receipt = models.FileField(_("receipt scan"), upload_to=upload_receipt, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_overspend = models.BooleanField(_("over the line's plan"), default=False)
    overspend_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("over-spending approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overspend_approved_at = models.DateTimeField(
        _("over-spending approved at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="expenditure_amount_positive"
            )
        ]
        indexes = [
            models.Index(fields=["grant", "spent_on"]),
            # The dashboard sums spending by period across all grants.
            models.Index(fields=["spent_on", "grant", "amount"]),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.description}"

    @property
    def needs_overspend_approval(self) -> bool:
        return self.is_overspend and self.overspend_approved_by_id is None


class GrantMoneyQuarter(models.Model):
    """What one grant was paid (its paid tranches, by payment date) and spent (its
    expenditures, by date) in one calendar quarter.

    A summary, never typed in: ``grants.services.money_summary_refresh`` recomputes a
    grant's rows from its tranches and expenditures in the transaction that moves its
    money (every tranche or expenditure audit row), so the rows always equal a direct
    aggregation. The dashboard sums these (a few per grant) instead of every
    expenditure of ten years."""

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="money_quarters",
    )
    quarter = models.DateField(_("quarter"))  # its first day
    paid = models.DecimalField(_("paid, ₸"), default=0, **MONEY)
    spent = models.DecimalField(_("spent, ₸"), default=0, **MONEY)

    class Meta:
        verbose_name = _("grant money by quarter")
        verbose_name_plural = _("grant money by quarter")
        indexes = [
            # A period's quarters: an index range read alone, not ten years of rows.
            models.Index(
                fields=["quarter"],
                include=["grant", "paid", "spent"],
                name="grant_money_quarter_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "quarter"], name="grant_money_quarter_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__day=1) & Q(quarter__month__in=(1, 4, 7, 10)),
                name="grant_money_quarter_first_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.quarter}"


class GrantMoneyTotal(models.Model):
    """What one grant was paid and spent in all: the sum of its quarter rows, kept
    with them by ``grants.services.money_summary_refresh`` (a grant without money has
    no row). The dashboard's all-time figures read one row per grant instead of
    every quarter of ten years."""

    grant = models.OneToOneField(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="money_total",
    )
    paid = models.DecimalField(_("paid, ₸"), default=0, **MONEY)
    spent = models.DecimalField(_("spent, ₸"), default=0, **MONEY)

    class Meta:
        verbose_name = _("grant money in total")
        verbose_name_plural = _("grant money in total")

    def __str__(self) -> str:
        return str(self.grant)


class Report(BaseModel):
    """An interim (numbered 1, 2, …) or final report: narrative part typed by the NGO,
    financial part generated from the period's expenditures."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.SUBMITTED,),
        Status.SUBMITTED: (Status.APPROVED, Status.RETURNED),
        Status.RETURNED: (Status.SUBMITTED,),
        Status.APPROVED: (),
    }

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind.choices, default=Kind.INTERIM
    )
    number = models.PositiveSmallIntegerField(_("number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    activities = models.TextField(_("activities done"), blank=True)
    results = models.TextField(_("results against the indicators"), blank=True)
    beneficiaries_reached = models.PositiveIntegerField(
        _("beneficiaries reached"), default=0
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(_("staff comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["grant", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant", "number"], name="report_number_unique"
            ),
            models.UniqueConstraint(
                fields=["grant"],
                condition=Q(kind="final"),
                name="report_one_final_per_grant",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} — {self.get_kind_display()} {self.number}"

    def can_move_to(self, to_status: str) -> bool:
        return to_status in self.TRANSITIONS.get(self.status, ())


class ReportPhoto(models.Model):
    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    image = models.FileField(_("photo"), upload_to=upload_report_photo)
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class MonitoringVisit(BaseModel):
    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="monitoring_visits",
    )
    visited_on = models.DateField(_("date of visit"))
    visitors = models.CharField(_("who went"), max_length=500)
    findings = models.TextField(_("findings"))
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="monitoring_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.visited_on}"


class MoneyAuditEntry(models.Model):
    """Every change of money: grant amount, tranche amount and status, expenditures,
    budget lines and revisions. Append-only; written by the services."""

    grant = models.ForeignKey(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.CASCADE,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    object_type = models.CharField(_("object"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object label"), max_length=300, blank=True)
    field = models.CharField(_("field"), max_length=50)
    before = models.CharField(_("before"), max_length=300, blank=True)
    after = models.CharField(_("after"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("money audit entry")
        verbose_name_plural = _("money audit entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["grant", "created_at"])]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id}.{self.field}: {self.before} → {self.after}"
