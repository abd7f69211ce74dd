"""Accounts, districts and organisations (NGOs and partner bodies)."""

import rules
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel
from alliance_portal.names import localized
from alliance_portal.permissions import Role

from .validators import validate_bin, validate_image_upload


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in by email; ``role`` decides what they may see and do."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.NGO_LEADER
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="kk",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Administrators run the Django admin; no other role reaches it.
        if self.role == Role.ADMIN:
            self.is_staff = self.is_superuser = True
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def has_perm(self, perm, obj=None) -> bool:
        # The portal's object rules (django-rules) decide for everyone, administrators
        # included: being the Django admin's superuser does not make someone the
        # leader of an NGO. Model permissions of the admin site keep the usual path.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)


class BilingualNameMixin(models.Model):
    """Content typed in Kazakh and Russian; English reads the Kazakh name in Latin
    letters (see alliance_portal.names)."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class District(BilingualNameMixin):
    """A district (or city) of Kyzylorda region."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["order", "code"]


class FieldOfActivity(BilingualNameMixin):
    """A managed list: children and youth, social protection, health, ecology of the
    Aral sea region, ... Also the priority themes of calls for proposals."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["order", "code"]


class Organisation(BilingualNameMixin, BaseModel):
    """An NGO or a partner body (akimat, Igilik fund, party branch, unions, chamber)."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        ALLIANCE = "alliance", _("The alliance")
        AKIMAT = "akimat", _("Akimat")
        FUND = "fund", _("Corporate fund")
        PARTNER = "partner", _("Partner organisation")

    class LegalForm(models.TextChoices):
        PUBLIC_ASSOCIATION = "public_association", _("Public association")
        FOUNDATION = "foundation", _("Foundation")
        ASSOCIATION = "association", _("Association (union)")
        PRIVATE_INSTITUTION = "private_institution", _("Private institution")
        STATE_BODY = "state_body", _("State body")
        OTHER = "other", _("Other")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO
    )
    legal_form = models.CharField(
        _("legal form"),
        max_length=30,
        choices=LegalForm.choices,
        default=LegalForm.PUBLIC_ASSOCIATION,
    )
    bin = models.CharField(
        _("BIN"), max_length=12, blank=True, validators=[validate_bin]
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    fields_of_activity = models.ManyToManyField(
        FieldOfActivity,
        verbose_name=_("fields of activity"),
        blank=True,
        related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    leader_name = models.CharField(_("leader"), max_length=200, blank=True)
    description_kk = models.TextField(
        _("short description (Kazakh)"), max_length=2000, blank=True
    )
    description_ru = models.TextField(
        _("short description (Russian)"), max_length=2000, blank=True
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="organisations/logos/",
        blank=True,
        validators=[validate_image_upload],
    )
    # Organisations a leader creates stay out of the public directory until staff
    # approve the founding leader; imported and demo ones are published at once.
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_ru"]
        constraints = [
            models.UniqueConstraint(
                fields=["bin"],
                condition=~models.Q(bin=""),
                name="organisation_bin_unique",
                violation_error_message=_(
                    "An organisation with this BIN is already registered."
                ),
            )
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("members:organisation_detail", args=[self.slug])

    @property
    def description(self) -> str:
        return localized(self, "description", name=False)


class StaffDecision(models.Model):
    """Who on the staff decided a request (approved, declined…), when, and why."""

    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        abstract = True


class Affiliation(StaffDecision, BaseModel):
    """A person's place inside an organisation (leader or staff), approved by staff."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        STAFF = "staff", _("Staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role.choices, default=Role.LEADER
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="affiliation_user_org_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"


class MembershipPeriod(BaseModel):
    """One continuous stretch of alliance membership; history answers "members on date D"."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        SUSPENDED = "suspended", _("Suspended")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="membership_periods",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(pgettext_lazy("period", "from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_by = models.ForeignKey(
        User,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    end_note = models.CharField(_("reason for closing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["organisation", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gt=models.F("started_on")),
                name="membership_period_ends_after_start",
            ),
            # At most one open period per organisation: suspended and active never overlap.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(ended_on__isnull=True),
                name="membership_period_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.started_on}–{self.ended_on or ''}"


class MembershipApplication(StaffDecision, BaseModel):
    """An organisation asks to join the alliance; staff approve or decline with a reason."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="membership_applications",
    )
    statement = models.TextField(_("statement"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    applied_by = models.ForeignKey(
        User,
        verbose_name=_("applied by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="applied"),
                name="membership_application_one_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decision_reason=""),
                name="membership_application_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_status_display()})"


class OrganisationChangeRequest(StaffDecision, BaseModel):
    """A leader's proposed change of the legal identity (BIN, legal names, legal form);
    the live record changes only when staff confirm it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=Organisation.LegalForm.choices
    )
    bin = models.CharField(_("BIN"), max_length=12, blank=True)
    # What the record said when the change was asked for, for the reviewer and history.
    old_values = models.JSONField(_("previous values"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="pending"),
                name="organisation_change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_status_display()}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(label, old, new) for each field that differs."""
        labels = {
            "name_kk": _("name (Kazakh)"),
            "name_ru": _("name (Russian)"),
            "legal_form": _("legal form"),
            "bin": _("BIN"),
        }
        rows = []
        for field, label in labels.items():
            old, new = self.old_values.get(field, ""), getattr(self, field)
            if old != new:
                rows.append((label, old, new))
        return rows


class OrganisationChange(models.Model):
    """One edit of an organisation's record by staff: who, when, and for each changed
    field its value before and after. Values are stored as shown to people (names of
    districts and fields in both languages), so the history reads the same after the
    referenced rows change."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="staff_changes",
    )
    actor = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {field: [before, after]}; a value is a string or {"kk": ..., "ru": ...}.
    changes = models.JSONField(_("changes"), default=dict)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("change of the organisation's record")
        verbose_name_plural = _("changes of organisations' records")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation}: {', '.join(self.changes)}"

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, before, after) for each changed field, in the current language."""
        from alliance_portal.message_text import pick_name

        lang = (get_language() or "kk")[:2]

        def shown(field, value):
            if isinstance(value, dict):  # names in kk/ru: English reads Latin Kazakh
                return pick_name(value, lang) if value else ""
            try:
                choices = dict(Organisation._meta.get_field(field).flatchoices)
            except FieldDoesNotExist:  # a field removed since
                choices = {}
            return str(choices.get(value, value))

        rows = []
        for field, (before, after) in self.changes.items():
            try:
                label = Organisation._meta.get_field(field).verbose_name
            except FieldDoesNotExist:  # a field removed since
                label = field
            rows.append((label, shown(field, before), shown(field, after)))
        return rows


class OrganisationDocument(models.Model):
    """A private document of an organisation (charter, certificate, report...): seen
    only by its leaders, staff and officials, downloaded through a checking view."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="private/organisations/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation document")
        verbose_name_plural = _("organisation documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
