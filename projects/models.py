"""Calls for proposals and the social-project applications written against them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel
from members.models import District, FieldOfActivity, Organisation

MONEY = {"max_digits": 14, "decimal_places": 2}


class Call(BaseModel):
    """A competition round with a budget envelope, themes and a deadline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        UNDER_REVIEW = "under_review", _("Under review")
        DECIDED = "decided", _("Decided")
        ARCHIVED = "archived", _("Archived")

    class FundingSource(models.TextChoices):
        IGILIK = "igilik", _("Igilik corporate fund")
        STATE_ORDER = "state_order", _("State social order (regional budget)")
        DONOR = "donor", _("Other donor")

    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    code = models.SlugField(
        _("number prefix"), max_length=10, default="IG", help_text=_("e.g. IG")
    )
    funding_source = models.CharField(
        _("funding source"),
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.IGILIK,
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="funded_calls",
    )
    envelope = models.DecimalField(_("budget envelope, ₸"), **MONEY)
    min_grant = models.DecimalField(_("minimum grant, ₸"), **MONEY)
    max_grant = models.DecimalField(_("maximum grant, ₸"), **MONEY)
    priority_themes = models.ManyToManyField(
        FieldOfActivity, verbose_name=_("priority themes"), blank=True
    )
    eligible_districts = models.ManyToManyField(
        District, verbose_name=_("eligible districts"), blank=True
    )
    min_months_registered = models.PositiveSmallIntegerField(
        _("registered for at least, months"), default=0
    )
    membership_required = models.BooleanField(
        _("alliance membership required"), default=False
    )
    no_unfinished_reports = models.BooleanField(
        _("no unfinished reports on earlier grants"), default=True
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(min_grant__gte=0)
                & Q(max_grant__gte=F("min_grant"))
                & Q(envelope__gte=F("max_grant")),
                name="call_grant_limits_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.title_kk if get_language() == "kk" else self.title_ru


class Application(BaseModel):
    """A social-project application. ``status`` moves only through projects.services
    (and, for later states, the reviews and grants services)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ADMITTED = "admitted", _("Admitted to expert review")
        REJECTED = "rejected", _("Rejected")
        RECOMMENDED = "recommended", _("Recommended for funding")
        NOT_RECOMMENDED = "not_recommended", _("Not recommended")
        FUNDED = "funded", _("Funded")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Incremented on every save of the draft: two tabs never silently overwrite.
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("project title"), max_length=300, blank=True)
    theme = models.ForeignKey(
        FieldOfActivity,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    districts = models.ManyToManyField(
        District, verbose_name=_("districts"), blank=True
    )
    settlements = models.CharField(_("settlements"), max_length=500, blank=True)
    problem = models.TextField(_("social problem and why it matters"), blank=True)
    goals = models.TextField(_("goals and objectives"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    beneficiaries_direct = models.PositiveIntegerField(
        _("direct beneficiaries"), default=0
    )
    beneficiaries_indirect = models.PositiveIntegerField(
        _("indirect beneficiaries"), default=0
    )
    sustainability = models.TextField(_("sustainability after the grant"), blank=True)
    team = models.TextField(_("project team"), blank=True)
    experience = models.TextField(_("organisation's experience"), blank=True)
    requested_amount = models.DecimalField(_("requested amount, ₸"), default=0, **MONEY)
    # Set by the expert council's decision (reviews app); may be lower than requested.
    approved_amount = models.DecimalField(
        _("approved amount, ₸"), null=True, blank=True, **MONEY
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="application_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0),
                name="application_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="application_approved_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or self.title or _("Draft application")


class ApplicationTransition(models.Model):
    """Every change of an application's status: who, when, from, to, and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


class BudgetLine(models.Model):
    """One line of the application's budget; total = quantity × unit cost."""

    class Category(models.TextChoices):
        STAFF = "staff", _("Salaries and fees")
        EVENTS = "events", _("Events")
        TRAVEL = "travel", _("Travel")
        EQUIPMENT = "equipment", _("Equipment and materials")
        PUBLICATIONS = "publications", _("Publications and media")
        ADMIN = "admin", _("Administrative costs")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    item = models.CharField(_("item"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost, ₸"), **MONEY)
    grant_amount = models.DecimalField(_("from the grant, ₸"), **MONEY)
    cofunding = models.DecimalField(_("co-funding, ₸"), default=0, **MONEY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0)
                & Q(unit_cost__gte=0)
                & Q(grant_amount__gte=0)
                & Q(cofunding__gte=0),
                name="budget_line_amounts_valid",
            )
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def total(self):
        return self.grant_amount + self.cofunding
