"""Forums (with agenda and resolutions), events, and registrations for both."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.models import BaseModel
from alliance_portal.names import localized
from members.models import District, Organisation

from .roman import to_roman


def _pick(obj, field: str) -> str:
    """The reader's language; English reads Kazakh (see alliance_portal.names)."""
    return localized(obj, field, name=field in ("name", "title", "theme"))


def normalise_name(name: str) -> str:
    """The key two spellings of one person share: case, spaces and ё folded."""
    return re.sub(r"\s+", " ", name).strip().casefold().replace("ё", "е")


class Gathering(BaseModel):
    """What forums and events share: place, capacity and the registration window."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Places for delegates; empty means no limit."),
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def registration_closes_at(self) -> datetime.datetime:
        return self.registration_deadline or self.starts_at_dt

    @property
    def is_registration_open(self) -> bool:
        return timezone.now() <= self.registration_closes_at


class Forum(Gathering):
    """The regional (or national) civil forum, held every two years."""

    class Level(models.TextChoices):
        REGIONAL = "regional", _("Regional")
        NATIONAL = "national", _("National")

    number = models.PositiveSmallIntegerField(_("number"))
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.REGIONAL
    )
    theme_kk = models.CharField(_("theme (Kazakh)"), max_length=500)
    theme_ru = models.CharField(_("theme (Russian)"), max_length=500)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    organisers = models.ManyToManyField(
        Organisation, verbose_name=_("organisers"), blank=True, related_name="+"
    )
    guests_of_note = models.TextField(_("guests of note"), blank=True)

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="forum_ends_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0), name="forum_number_positive"
            ),
            models.UniqueConstraint(
                fields=["level", "number"], name="forum_level_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The forum cannot end before it starts.")}
            )

    @property
    def roman(self) -> str:
        return to_roman(self.number)

    @property
    def theme(self) -> str:
        return _pick(self, "theme")

    @property
    def title(self) -> str:
        if self.level == self.Level.NATIONAL:
            return _("%(n)s national civil forum") % {"n": self.roman}
        return _("%(n)s regional civil forum") % {"n": self.roman}

    @property
    def starts_at_dt(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.starts_on, datetime.time.min)
        )


class AgendaSession(BaseModel):
    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    speakers = models.TextField(_("speakers"), blank=True)

    class Meta:
        verbose_name = _("agenda session")
        verbose_name_plural = _("agenda sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="agenda_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    @property
    def title(self) -> str:
        return _pick(self, "title")


class Resolution(BaseModel):
    """A resolution (ұстаным) adopted by a forum; the next forum reviews its outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_DONE = "not_done", _("Not done")

    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"))
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["forum", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "number"], name="resolution_forum_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.forum.roman}-{self.number}"

    @property
    def text(self) -> str:
        return _pick(self, "text")


class ResolutionNote(BaseModel):
    """A progress note on a resolution; also the history of its status."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    text = models.TextField(_("progress note"))
    status_from = models.CharField(
        _("status before"), max_length=12, choices=Resolution.Status.choices
    )
    status_to = models.CharField(
        _("status after"), max_length=12, choices=Resolution.Status.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Event(Gathering):
    """A seminar-training, round table, conference, ... held in a district."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Seminar-training")
        ROUND_TABLE = "round_table", _("Round table")
        CONFERENCE = "conference", _("Conference")
        PRESS_CONFERENCE = "press_conference", _("Press conference")
        AKIM_MEETING = "akim_meeting", _("Meeting with the akim")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def description(self) -> str:
        return _pick(self, "description")

    @property
    def starts_at_dt(self) -> datetime.datetime:
        return self.starts_at


class EventMaterial(BaseModel):
    """A handout or presentation of an event (PDF, office document, image)."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="forums/materials/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def holding_place(self):
        """Registrations that take one of the limited places."""
        return self.filter(status__in=Registration.PLACE_STATUSES)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by(
            "created_at", "pk"
        )


class Registration(BaseModel):
    """A delegate registered for a forum or for an event (exactly one of them).

    One model for both, so capacity, the waiting list, the leader's "my
    registrations" and the exports are one piece of code; a check constraint keeps
    exactly one of ``forum`` / ``event`` set.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    PLACE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.ATTENDED)
    CONFIRMED_STATUSES = (Status.CONFIRMED, Status.ATTENDED)

    forum = models.ForeignKey(
        Forum,
        verbose_name=_("forum"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
    )
    full_name = models.CharField(_("delegate's full name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(forum__isnull=False) & Q(event__isnull=True))
                | (Q(forum__isnull=True) & Q(event__isnull=False)),
                name="registration_forum_xor_event",
            ),
            models.UniqueConstraint(
                fields=["forum", "name_key", "organisation"],
                condition=~Q(status="cancelled"),
                name="registration_forum_person_unique",
            ),
            models.UniqueConstraint(
                fields=["event", "name_key", "organisation"],
                condition=~Q(status="cancelled"),
                name="registration_event_person_unique",
            ),
            models.UniqueConstraint(
                fields=["forum", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="registration_forum_email_unique",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled") & ~Q(email=""),
                name="registration_event_email_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def gathering(self) -> Forum | Event:
        return self.forum if self.forum_id else self.event


class RegistrationChange(models.Model):
    """History of a registration's status: who moved it, when, from what to what."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    status_from = models.CharField(_("from"), max_length=12, blank=True)
    status_to = models.CharField(_("to"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration change")
        verbose_name_plural = _("registration changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status_from}→{self.status_to}"
