"""The alliance's resource centre: news, the library, consultations and the FAQ."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel
from members.models import Organisation


def pick(obj, field: str) -> str:
    """The text in the page's language: Kazakh, Russian, or English when written;
    an empty translation falls back to Kazakh, then Russian."""
    language = get_language() or "kk"
    values = {
        lang: getattr(obj, f"{field}_{lang}", "") or "" for lang in ("kk", "ru", "en")
    }
    return values.get(language) or values["kk"] or values["ru"]


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class AudienceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(audience=Audience.PUBLIC)


# --- news -------------------------------------------------------------------------


class NewsQuerySet(AudienceQuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class NewsItem(BaseModel):
    """A news item or announcement; a draft until ``published_at`` is set."""

    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body_kk = models.TextField(_("text (Kazakh)"))
    body_ru = models.TextField(_("text (Russian)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    image = models.FileField(_("image"), upload_to="resources/news/%Y/", blank=True)
    audience = models.CharField(
        _("who sees it"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
    )
    pinned = models.BooleanField(
        _("pinned on the home page"), default=False, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when another app announced itself ("call:12"): announcing twice finds this.
    source_key = models.CharField(_("source"), max_length=80, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-pinned", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="news_source_key_unique",
            )
        ]
        indexes = [models.Index(fields=["published_at", "audience"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self, "title")

    @property
    def body(self) -> str:
        return pick(self, "body")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def get_absolute_url(self) -> str:
        return reverse("resources:news_detail", args=[self.pk])


class NewsAttachment(BaseModel):
    news = models.ForeignKey(
        NewsItem,
        verbose_name=_("news item"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="resources/news-files/%Y/")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class NewsDigestSubscription(BaseModel):
    """A member's opt-in to the weekly news digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="news_digest",
    )

    class Meta:
        verbose_name = _("weekly news digest subscription")
        verbose_name_plural = _("weekly news digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)


# --- library ----------------------------------------------------------------------


class Topic(models.TextChoices):
    ACCOUNTING = "accounting", _("Accounting")
    REPORTING = "reporting", _("Reporting")
    REGISTRATION = "registration", _("Registration")
    PROJECT_WRITING = "project_writing", _("Project writing")
    LEGAL = "legal", _("Legal questions")


class Language(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class Material(BaseModel):
    """A methodological material or template; its files are its versions."""

    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    language = models.CharField(
        _("language of the material"), max_length=2, choices=Language.choices
    )
    audience = models.CharField(
        _("who sees it"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
    )
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    objects = AudienceQuerySet.as_manager()

    class Meta:
        verbose_name = _("library material")
        verbose_name_plural = _("library")
        ordering = ["topic", "title_kk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick(self, "title")

    @property
    def description(self) -> str:
        return pick(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("resources:material_detail", args=[self.pk])


class MaterialVersion(BaseModel):
    """One file of a material; the highest number is the current one."""

    material = models.ForeignKey(
        Material,
        verbose_name=_("material"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="resources/library/%Y/")
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"], name="material_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0), name="material_version_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.number}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


# --- consultations and the FAQ ------------------------------------------------------


class Consultation(BaseModel):
    """A leader's question to the resource centre and the staff's answer."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("consultation status", "Waiting for a consultant")
        ASSIGNED = (
            "assigned",
            pgettext_lazy("consultation status", "Consultant assigned"),
        )
        ANSWERED = "answered", pgettext_lazy("consultation status", "Answered")
        CLOSED = "closed", pgettext_lazy("consultation status", "Closed")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="consultations_asked",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question = models.TextField(_("question"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations_assigned",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="consultation_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "assigned"])
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="consultation_answered_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_topic_display()}"

    def get_absolute_url(self) -> str:
        return reverse("resources:consultation_detail", args=[self.pk])


class FaqEntry(BaseModel):
    """A public question and answer, anonymised from a consultation and approved."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    question_kk = models.TextField(_("question (Kazakh)"))
    question_ru = models.TextField(_("question (Russian)"))
    answer_kk = models.TextField(_("answer (Kazakh)"))
    answer_ru = models.TextField(_("answer (Russian)"))
    source = models.OneToOneField(
        Consultation,
        verbose_name=_("from consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entry",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ")
        ordering = ["topic", "pk"]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def question(self) -> str:
        return pick(self, "question")

    @property
    def answer(self) -> str:
        return pick(self, "answer")

    def clean(self) -> None:
        if self.approved_at and not (self.question_kk and self.answer_kk):
            raise ValidationError(_("An approved entry needs its Kazakh text."))


# --- equipment and rooms -------------------------------------------------------------


class Facility(BaseModel):
    """A hall or a piece of the alliance's equipment that members may book."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Hall or room")
        EQUIPMENT = "equipment", _("Equipment")

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    is_active = models.BooleanField(_("can be booked"), default=True)

    class Meta:
        verbose_name = _("hall or equipment")
        verbose_name_plural = _("halls and equipment")
        ordering = ["kind", "name_kk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


class Booking(BaseModel):
    """A member's booking of a facility for a time; a request holds the slot until
    staff decline it. Overlapping holding bookings of one facility are refused by an
    exclusion constraint on PostgreSQL (migration 0004) and by the service."""

    class Status(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("booking status", "Awaiting approval")
        APPROVED = "approved", pgettext_lazy("booking status", "Approved")
        DECLINED = "declined", pgettext_lazy("booking status", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")

    HOLDING = (Status.REQUESTED, Status.APPROVED)

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("hall or equipment"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    starts_at = models.DateTimeField(pgettext_lazy("booking time", "from"))
    ends_at = models.DateTimeField(pgettext_lazy("booking time", "until"))
    purpose = models.CharField(_("purpose"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
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
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["facility", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_at:%d.%m.%Y %H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A booking must end after it starts.")})


# --- proposals to the akim -----------------------------------------------------------


class AkimMeeting(BaseModel):
    """The akim's yearly meeting with NGO leaders, for which proposals are collected."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    meets_on = models.DateField(_("meeting date"))
    accepts_until = models.DateField(_("proposals accepted until"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("akim's meeting with NGO leaders")
        verbose_name_plural = _("akim's meetings with NGO leaders")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_until__lte=models.F("meets_on")),
                name="akim_meeting_accepts_before_meeting",
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.accepts_until and self.meets_on and self.accepts_until > self.meets_on:
            raise ValidationError(
                {"accepts_until": _("Proposals close on or before the meeting.")}
            )


class AkimProposal(BaseModel):
    """An NGO's proposal to the akim, followed up like a forum resolution."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
        FORWARDED = (
            "forwarded",
            pgettext_lazy("proposal status", "Forwarded to the akimat"),
        )
        ACCEPTED = "accepted", pgettext_lazy("proposal status", "Accepted")
        IN_WORK = "in_work", pgettext_lazy("proposal status", "In work")
        DONE = "done", pgettext_lazy("proposal status", "Done")
        DECLINED = "declined", pgettext_lazy("proposal status", "Declined")

    FOLLOW_UP = (
        Status.ACCEPTED,
        Status.IN_WORK,
        Status.DONE,
        Status.DECLINED,
    )

    meeting = models.ForeignKey(
        AkimMeeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="akim_proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=300)
    problem = models.TextField(_("problem"))
    proposal = models.TextField(_("proposal"))
    district = models.ForeignKey(
        "members.District", verbose_name=_("district"), on_delete=models.PROTECT
    )
    group = models.CharField(
        _("group"),
        max_length=200,
        blank=True,
        help_text=_("Staff group similar proposals under one heading."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    responsible = models.CharField(_("responsible"), max_length=300, blank=True)
    reason = models.TextField(_("reason for declining"), blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal to the akim")
        verbose_name_plural = _("proposals to the akim")
        ordering = ["meeting", "group", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="akim_proposal_declined_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.topic


class ProposalNote(BaseModel):
    """One follow-up step of a proposal: the status before and after, and what was
    done; the notes are the proposal's history."""

    proposal = models.ForeignKey(
        AkimProposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    status_from = models.CharField(_("from"), max_length=10)
    status_to = models.CharField(_("to"), max_length=10)
    text = models.TextField(_("what was done"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_from} → {self.status_to}"

    def get_status_to_display(self) -> str:
        return AkimProposal.Status(self.status_to).label


# --- the yearly report to the state NGO database -------------------------------------


class StateReportFiling(BaseModel):
    """An NGO's note that it filed its yearly report for ``year`` to the state NGO
    database (by 31 March of the next year)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="state_report_filings",
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    filed_on = models.DateField(_("filed on"))
    reference = models.CharField(_("registration number"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("filing of the yearly report")
        verbose_name_plural = _("filings of the yearly report")
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="state_report_filing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def clean(self) -> None:
        if self.filed_on and self.year and self.filed_on.year < self.year:
            raise ValidationError(
                {"filed_on": _("A report cannot be filed before the year it covers.")}
            )
