"""Calls for proposals and the social-project applications written against them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel, StatusChange
from alliance_portal.names import localized
from alliance_portal.uploads import generated_name
from members.models import District, FieldOfActivity, Organisation

MONEY = {"max_digits": 14, "decimal_places": 2}


class CallQuerySet(models.QuerySet):
    def open_now(self):
        now = timezone.now()
        return self.filter(
            status=Call.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        )

    def public(self):
        return self.filter(status=Call.Status.OPEN)


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

    objects = CallQuerySet.as_manager()

    # The one declaration of the call workflow: status -> statuses it may move to.
    TRANSITIONS = {
        Status.DRAFT: (Status.OPEN, Status.ARCHIVED),
        Status.OPEN: (Status.CLOSED,),
        Status.CLOSED: (Status.OPEN, Status.UNDER_REVIEW),
        Status.UNDER_REVIEW: (Status.DECIDED,),
        Status.DECIDED: (Status.ARCHIVED,),
        Status.ARCHIVED: (),
    }

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
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description", name=False)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def accepts_submissions(self, at=None) -> bool:
        """Open and before the deadline (``closes_at`` is an aware datetime)."""
        at = at or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= at < self.closes_at

    @property
    def number_prefix(self) -> str:
        year = timezone.localtime(self.opens_at).year
        return f"{self.code.upper()}-{year}-"


class RequiredDocument(models.Model):
    """A document every applicant to the call must attach (e.g. the charter)."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="required_documents",
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ApplicationQuerySet(models.QuerySet):
    def editable(self):
        return self.filter(status__in=Application.EDITABLE_STATUSES)

    def to_screen(self):
        return self.filter(status__in=Application.SCREENING_STATUSES)


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
    # The Russian text of a contract uses it; without it the contract prints the
    # title as written, marked as the original.
    title_ru = models.CharField(
        _("project title in Russian (optional)"), max_length=300, blank=True
    )
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
    # MinHash of the problem text's word shingles, set at submission (see
    # projects/services/duplicates.py); empty until then.
    problem_signature = models.BinaryField(editable=False, blank=True, default=b"")
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
    # The n in <code>-<year>-<n>, assigned at first submission under a lock.
    sequence = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    # Section keys (see SECTIONS) re-opened for editing when staff return it.
    reopened_sections = models.JSONField(
        _("sections open for revision"), default=list, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    # Section keys of the editor, in order; titles are in forms/templates.
    SECTIONS = (
        "organisation",
        "general",
        "problem",
        "goals",
        "target_group",
        "activities",
        "results",
        "sustainability",
        "budget",
        "attachments",
    )
    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    SCREENING_STATUSES = (Status.SUBMITTED, Status.RESUBMITTED)
    # The leader may withdraw until staff (or the council) decide.
    WITHDRAWABLE_STATUSES = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.RESUBMITTED,
    )
    # Screening workflow: status -> statuses staff/leader may move it to here.
    TRANSITIONS = {
        Status.DRAFT: (Status.SUBMITTED, Status.WITHDRAWN),
        Status.SUBMITTED: (
            Status.RETURNED,
            Status.ADMITTED,
            Status.REJECTED,
            Status.WITHDRAWN,
        ),
        Status.RETURNED: (Status.RESUBMITTED, Status.WITHDRAWN),
        Status.RESUBMITTED: (
            Status.RETURNED,
            Status.ADMITTED,
            Status.REJECTED,
            Status.WITHDRAWN,
        ),
    }

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
            models.CheckConstraint(
                condition=Q(beneficiaries_indirect__gte=0)
                & Q(beneficiaries_direct__gte=0),
                name="application_beneficiaries_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["call", "organisation"]),
            # The screening list's default order (newest first).
            models.Index(
                fields=["submitted_at", "id"], name="application_submitted_idx"
            ),
            # The dashboard's funnel and its joins from grants read only these
            # columns: an index-only scan instead of the wide rows with long texts.
            models.Index(
                fields=["id"],
                include=["status", "submitted_at", "call", "theme", "organisation"],
                name="application_figures_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.title or str(_("Draft application"))

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def section_is_editable(self, section: str) -> bool:
        """A draft is editable everywhere; a returned one only in re-opened sections."""
        if self.status == self.Status.DRAFT:
            # After the deadline a draft stays readable but no longer editable.
            return section != "organisation" and self.call.accepts_submissions()
        if self.status == self.Status.RETURNED:
            return section in (self.reopened_sections or [])
        return False

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class DuplicateFlag(models.Model):
    """A possible duplicate found when an application was submitted: another
    application of the same call with a near-identical title or problem text.
    Stored in both directions, so each side's screening page reads its own rows."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="duplicate_flags",
    )
    other = models.ForeignKey(
        Application,
        verbose_name=_("possible duplicate"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    ratio = models.FloatField(_("similarity"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "other"], name="duplicate_flag_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(application=F("other")), name="duplicate_flag_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ~ {self.other_id} ({self.ratio:.2f})"


class ApplicationTransition(StatusChange):
    """Every change of an application's status: who, when, from, to, and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


class CallStatusChange(StatusChange):
    """Every move of a call along its workflow: who, when, from, to, and why."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call for proposals"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("status change of a call")
        verbose_name_plural = _("status changes of calls")

    def __str__(self) -> str:
        return f"{self.call}: {self.from_status} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return _status_label(Call.Status, self.from_status)

    @property
    def to_label(self) -> str:
        return _status_label(Call.Status, self.to_status)


def _status_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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


class Activity(models.Model):
    """One row of the activity plan: what, when, who."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    activity = models.CharField(_("activity"), max_length=300)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    responsible = models.CharField(_("responsible"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="activity_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.activity


class ExpectedResult(models.Model):
    """A measurable result: an indicator with its baseline and target values."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=100)
    target = models.CharField(_("target"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.indicator


def attachment_path(instance, filename: str) -> str:
    # Unguessable name; the original name is kept in the row and served by the view.
    return f"private/applications/{instance.application_id}/{generated_name(filename)}"


class Attachment(models.Model):
    """A file attached to an application. Private: served only through
    ``projects:attachment_download``, which checks the requester's rights."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("document kind"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationSnapshot(models.Model):
    """The application's content frozen at submission, return or resubmission;
    the diff shown to staff compares the resubmitted text with the returned one."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        RESUBMITTED = "resubmitted", _("Resubmitted")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    data = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application snapshot")
        verbose_name_plural = _("application snapshots")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} ({self.kind})"


class SectionComment(models.Model):
    """A staff comment on one section of a returned application."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="section_comments",
    )
    transition = models.ForeignKey(
        ApplicationTransition,
        verbose_name=_("status change"),
        null=True,
        on_delete=models.CASCADE,
        related_name="section_comments",
    )
    section = models.CharField(_("section"), max_length=30)
    comment = models.TextField(_("comment"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.section}: {self.comment[:40]}"
