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

from .validators import (
    validate_bik,
    validate_bin,
    validate_image_upload,
    validate_kbe,
    validate_kz_iban,
)


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

    # Requisites: what a contract names the party by. The signatory is the leader
    # (``leader_name``) acting on the basis of the charter or a power of attorney.
    class AuthorityBasis(models.TextChoices):
        CHARTER = "charter", _("Charter")
        ATTORNEY = "attorney", _("Power of attorney")

    legal_address = models.CharField(_("legal address"), max_length=300, blank=True)
    head_position_kk = models.CharField(
        _("head's position (Kazakh)"), max_length=200, blank=True
    )
    head_position_ru = models.CharField(
        _("head's position (Russian)"), max_length=200, blank=True
    )
    authority_basis = models.CharField(
        _("basis of authority"),
        max_length=10,
        choices=AuthorityBasis.choices,
        blank=True,
    )
    attorney_number = models.CharField(
        _("power of attorney No."), max_length=50, blank=True
    )
    attorney_date = models.DateField(_("power of attorney date"), null=True, blank=True)

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

    @property
    def primary_account(self) -> "BankAccount | None":
        accounts = list(self.bank_accounts.all())  # prefetched by callers that list
        return next((a for a in accounts if a.is_primary), None) or (
            accounts[0] if accounts else None
        )

    def requisites_missing(self) -> list[str]:
        """The requisites a contract needs that this organisation has not filled in,
        as labels for a message; empty when it may be a party to a contract."""
        missing = []
        if not self.bin:
            missing.append(str(_("BIN")))
        if not self.legal_address.strip():
            missing.append(str(_("legal address")))
        if not self.leader_name.strip():
            missing.append(str(_("head's full name")))
        if not (self.head_position_kk.strip() and self.head_position_ru.strip()):
            missing.append(str(_("head's position in Kazakh and Russian")))
        if not self.authority_basis:
            missing.append(str(_("basis of authority")))
        elif self.authority_basis == self.AuthorityBasis.ATTORNEY and not (
            self.attorney_number.strip() and self.attorney_date
        ):
            missing.append(str(_("power of attorney No. and date")))
        if self.primary_account is None:
            missing.append(str(_("bank account (IBAN, BIK, KBe)")))
        return missing

    @property
    def authority_kk(self) -> str:
        """«Жарғы негізінде әрекет ететін» / «… сенімхат негізінде …» for the contract."""
        if self.authority_basis == self.AuthorityBasis.ATTORNEY:
            return (
                f"{self.attorney_date:%d.%m.%Y} ж. № {self.attorney_number} сенімхат"
                if self.attorney_date
                else f"№ {self.attorney_number} сенімхат"
            )
        return "Жарғы"

    @property
    def authority_ru(self) -> str:
        if self.authority_basis == self.AuthorityBasis.ATTORNEY:
            return (
                f"доверенности № {self.attorney_number} от {self.attorney_date:%d.%m.%Y}"
                if self.attorney_date
                else f"доверенности № {self.attorney_number}"
            )
        return "Устава"


class BankAccount(BaseModel):
    """A bank account of an organisation, for contracts and payments."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="bank_accounts",
    )
    bank_name = models.CharField(_("bank"), max_length=200)
    iban = models.CharField(_("IBAN"), max_length=20, validators=[validate_kz_iban])
    bik = models.CharField(_("BIK"), max_length=11, validators=[validate_bik])
    kbe = models.CharField(_("KBe"), max_length=2, validators=[validate_kbe])
    is_primary = models.BooleanField(_("main account"), default=False)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "iban"],
                name="bank_account_iban_unique",
                violation_error_message=_("This IBAN is already listed."),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_primary=True),
                name="bank_account_one_primary",
                violation_error_message=_("Only one account can be the main one."),
            ),
            models.CheckConstraint(
                condition=models.Q(iban__regex=r"^KZ[0-9]{5}[0-9A-Z]{13}$"),
                name="bank_account_iban_kz_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.iban}"

    def as_text(self) -> str:
        return f"{self.bank_name}, IBAN {self.iban}, BIK {self.bik}, KBe {self.kbe}"


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
    """One edit of an organisation's record by staff (or of its requisites by its
    leader): who, when, and for each changed
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
            if field == "bank_accounts":  # recorded as text, not a field
                rows.append((_("bank accounts"), before, after))
                continue
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


# --- personal data (Law of the RK "On personal data and their protection") ----------


class Consent(models.Model):
    """A person's consent to the processing of their personal data: which text (its
    version) they agreed to, when, and, when someone else typed their data in (a leader
    registering a delegate, naming a team member), who did and on what."""

    class Context(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        DELEGATE = "delegate", _("Delegate registered by an organisation")
        TEAM_MEMBER = "team_member", _("Project team member named in an application")

    subject = models.ForeignKey(
        User,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consents",
    )
    subject_name = models.CharField(_("person's name"), max_length=200, blank=True)
    context = models.CharField(_("context"), max_length=20, choices=Context.choices)
    text_version = models.CharField(_("version of the notice"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    entered_by = models.ForeignKey(
        User,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_ref = models.CharField(_("record"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("consent to personal data processing")
        verbose_name_plural = _("consents to personal data processing")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        who = self.subject or self.subject_name
        return f"{who} · {self.context} · {self.text_version}"


class ErasureRequest(StaffDecision):
    """A person asks for their personal data to be deleted. Staff decide: what no law or
    audit needs is erased, what must be kept stays, and the reason is shown to them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        DONE = "done", _("Erased")
        PARTLY = "partly", _("Erased, some records kept")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="erasure_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.status}"
