"""The expert council: experts, criteria, conflicts, assignments, scores and the
council's sessions and decisions. Writes go through :mod:`reviews.services`."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel
from alliance_portal.names import localized
from members.models import Organisation
from projects.models import Application, Call

MONEY = {"max_digits": 14, "decimal_places": 2}


class ExpertProfile(BaseModel):
    """A member of the expert council."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="expert_profile",
    )
    expertise = models.CharField(_("field of expertise"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experts",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["user__full_name", "pk"]

    def __str__(self) -> str:
        return str(self.user)


class CallExpert(models.Model):
    """An expert on the panel of one call: the call's council.

    The panel is explicit. A call without panel rows has no council: nobody can be
    assigned and no session can reach a quorum, and the call's review page offers
    "add all active experts" in one click. (Treating an empty panel as "every active
    expert" was rejected: adding the first expert by hand would silently shrink the
    council from everyone to one, and the quorum with it.)

    ``active`` is per call; ``ExpertProfile.active`` still applies across all calls,
    so a member serves on this call's council only while both are true.
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="panel"
    )
    expert = models.ForeignKey(
        ExpertProfile,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="panels",
    )
    active = models.BooleanField(_("active for this call"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("call panel")
        ordering = ["expert__user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "expert"], name="call_expert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.call}"


class CallReviewSettings(BaseModel):
    """How a call is reviewed: minimum reviews, threshold, blind mode, quorum."""

    call = models.OneToOneField(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="review_settings",
    )
    min_reviews = models.PositiveSmallIntegerField(
        _("minimum reviews per application"), default=3
    )
    recommend_threshold = models.DecimalField(
        _("threshold to be recommended (0–100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60.00"),
    )
    disagreement_margin = models.DecimalField(
        _("disagreement margin (points of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        help_text=_("Flag an application when its reviews differ by more than this."),
    )
    blind_review = models.BooleanField(_("blind review"), default=False)
    hide_organisation = models.BooleanField(
        _("hide the organisation's name and BIN"), default=True
    )
    hide_people = models.BooleanField(_("hide people's names"), default=True)
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: numerator"), default=2
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=3
    )
    allow_not_applicable = models.BooleanField(
        _("experts may mark a criterion not applicable"), default=True
    )

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_reviews__gte=1)
                & Q(recommend_threshold__gte=0)
                & Q(recommend_threshold__lte=100)
                & Q(disagreement_margin__gte=0)
                & Q(disagreement_margin__lte=100),
                name="review_settings_ranges",
            ),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__gte=1)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="review_settings_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return str(self.call)


class CriterionBase(models.Model):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    guidance_kk = models.TextField(_("guidance (Kazakh)"), blank=True)
    guidance_ru = models.TextField(_("guidance (Russian)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal("1.00")
    )
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=10)
    comment_required = models.BooleanField(_("comment required"), default=True)
    may_be_not_applicable = models.BooleanField(
        _("may be marked not applicable"), default=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def guidance(self) -> str:
        return localized(self, "guidance", name=False)


class CriterionTemplate(CriterionBase):
    """One criterion of the default template that staff copy onto a call."""

    class Meta(CriterionBase.Meta):
        verbose_name = _("template criterion")
        verbose_name_plural = _("template criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(scale_max__gte=1),
                name="criterion_template_weight_scale",
            )
        ]


class Criterion(CriterionBase):
    """A criterion the applications of one call are scored against."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )

    class Meta(CriterionBase.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(scale_max__gte=1),
                name="criterion_weight_scale",
            )
        ]


class ConflictStatement(BaseModel):
    """The expert has declared their conflicts for a call (possibly none). Until
    this exists the expert sees no application of the call."""

    expert = models.ForeignKey(
        ExpertProfile,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="conflict_statements",
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("conflict-of-interest statement")
        verbose_name_plural = _("conflict-of-interest statements")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "call"], name="conflict_statement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.call}"


class ConflictDeclaration(BaseModel):
    """A declared conflict of interest with an applicant organisation."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Membership")
        EMPLOYMENT = "employment", _("Employment")
        FAMILY = "family", _("Family ties")

    expert = models.ForeignKey(
        ExpertProfile,
        verbose_name=_("expert"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "call", "organisation"],
                name="conflict_declaration_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} — {self.organisation}"


class Assignment(BaseModel):
    """An expert assigned to review one application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DECLINED = "declined", _("Declined")
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")
        CONFLICT = "conflict", _("Removed: conflict of interest")

    expert = models.ForeignKey(
        ExpertProfile,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    # A copy of the application's call (which never changes): the expert's list,
    # the ranking and the panel filter assignments by call without reading the
    # applications, a wide table of long texts.
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (call, status) index below serves
    )
    # Copies of the applicant and the expert's organisation at assignment time, so
    # the database itself refuses an expert reviewing their own organisation.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expert_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("expert's organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    due = models.DateTimeField(_("due"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due", "pk"]
        # The expert's list in its order: a page of 25 without sorting thousands.
        indexes = [
            # The expert's list walks this index in its order, and counts and
            # filters by call and status without reading the rows (PostgreSQL).
            models.Index(
                fields=["expert", "due", "id"],
                include=["call", "status"],
                name="assignment_expert_due_incl",
            ),
            models.Index(fields=["call", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "application"], name="assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(expert_organisation__isnull=True)
                | ~Q(expert_organisation=F("organisation")),
                name="assignment_not_own_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application}"

    @property
    def is_active(self) -> bool:
        return self.status in (
            self.Status.ASSIGNED,
            self.Status.SUBMITTED,
            self.Status.REOPENED,
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.ASSIGNED, self.Status.REOPENED)


class Review(BaseModel):
    """An expert's scores and overall recommendation for one assignment."""

    class Recommendation(models.TextChoices):
        FUND = "fund", _("Fund")
        FUND_WITH_CHANGES = "fund_with_changes", _("Fund with changes")
        DO_NOT_FUND = "do_not_fund", _("Do not fund")

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="review",
    )
    recommendation = models.CharField(
        _("overall recommendation"),
        max_length=20,
        choices=Recommendation.choices,
        blank=True,
    )
    comment = models.TextField(_("overall comment"), blank=True)
    total = models.DecimalField(
        _("weighted total (0–100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="review_total_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.assignment)


class Score(models.Model):
    """One criterion's score within a review (or "not applicable")."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT
    )
    value = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="score_unique"
            ),
            models.CheckConstraint(
                condition=(Q(not_applicable=True) & Q(value__isnull=True))
                | (Q(not_applicable=False) & Q(value__gte=0)),
                name="score_value_or_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ReopenRecord(models.Model):
    """Staff reopened a submitted review: who, when and why."""

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="reopenings",
    )
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.review}: {self.reason[:40]}"


class CouncilSession(BaseModel):
    """A meeting of the expert council for one call."""

    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="council_sessions",
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    chair = models.ForeignKey(
        ExpertProfile,
        verbose_name=_("chair of the session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members_present = models.ManyToManyField(
        ExpertProfile,
        verbose_name=_("members present"),
        through="SessionAttendance",
        related_name="sessions",
    )
    council_size = models.PositiveSmallIntegerField(_("council size"), default=0)
    envelope_override_reason = models.TextField(
        _("reason to exceed the envelope"), blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # What the council saw and decided, frozen when the session closes (the
    # decisions are recorded): the minutes are rendered from this alone, so later
    # funding, withdrawal or rescoring of an application never changes them.
    minutes_snapshot = models.JSONField(_("minutes as recorded"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.call} — {self.held_on}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    expert = models.ForeignKey(
        ExpertProfile, verbose_name=_("expert"), on_delete=models.PROTECT
    )
    remote = models.BooleanField(_("attended remotely"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "expert"], name="session_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.expert)


class CouncilDecision(BaseModel):
    """The council's decision on one application at one session."""

    class Decision(models.TextChoices):
        RECOMMEND = "recommend", _("Recommend")
        RECOMMEND_WITH_CONDITIONS = (
            "recommend_conditions",
            _("Recommend with conditions"),
        )
        DO_NOT_RECOMMEND = "do_not_recommend", _("Do not recommend")
        DEFER = "defer", _("Defer")

    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="council_decisions",
    )
    decision = models.CharField(_("decision"), max_length=25, choices=Decision.choices)
    amount = models.DecimalField(_("amount, ₸"), null=True, blank=True, **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    mean_score = models.DecimalField(
        _("mean score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"), default=0)
    dissent = models.TextField(_("dissenting opinions"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="council_decision_unique"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="council_decision_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=["recommend", "recommend_conditions"])
                | Q(amount__isnull=False),
                name="council_decision_recommend_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_decision_display()}"

    @property
    def is_recommended(self) -> bool:
        return self.decision in (
            self.Decision.RECOMMEND,
            self.Decision.RECOMMEND_WITH_CONDITIONS,
        )
