"""Memoranda of partnership, their parties and the commitments made under them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance_portal.models import BaseModel
from alliance_portal.names import localized
from members.models import Organisation


def _pick(obj, field: str) -> str:
    """The reader's language; English reads Kazakh (see alliance_portal.names)."""
    return localized(obj, field, name=field in ("name", "title"))


class MemorandumQuerySet(models.QuerySet):
    """Status filters. "Expired" is derived from the dates, so a memorandum whose
    validity lapsed is never shown as in force, even before the nightly sync runs."""

    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(status=Memorandum.Status.IN_FORCE),
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        )

    def expired(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(
            Q(status=Memorandum.Status.EXPIRED)
            | Q(
                status__in=[Memorandum.Status.SIGNED, Memorandum.Status.IN_FORCE],
                valid_until__lt=on,
            )
        )

    def with_status(self, status: str, on: datetime.date | None = None):
        """Filter by the status a reader sees (``effective_status``)."""
        on = on or timezone.localdate()
        if status == Memorandum.Status.IN_FORCE:
            return self.in_force(on)
        if status == Memorandum.Status.EXPIRED:
            return self.expired(on)
        if status == Memorandum.Status.SIGNED:
            return self.filter(status=status).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=on)
            )
        return self.filter(status=status)


class Memorandum(BaseModel):
    """A memorandum of joint action and partnership between two or more parties."""

    class Kind(models.TextChoices):
        TRIPARTITE = "tripartite", _("Tripartite")
        BILATERAL = "bilateral", _("Bilateral")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("memorandum status", "Draft")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TRIPARTITE
    )
    number = models.PositiveSmallIntegerField(
        _("number in its series"),
        default=1,
        help_text=_("The tripartite memorandum is re-adopted yearly: 5 for the 5th."),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=400)
    title_ru = models.CharField(_("title (Russian)"), max_length=400)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a memorandum without an end date."),
    )
    goals_kk = models.TextField(_("goals and tasks (Kazakh)"), blank=True)
    goals_ru = models.TextField(_("goals and tasks (Russian)"), blank=True)
    directions_kk = models.TextField(
        _("directions of joint action (Kazakh)"), blank=True
    )
    directions_ru = models.TextField(
        _("directions of joint action (Russian)"), blank=True
    )
    scan = models.FileField(
        _("signed scan (PDF)"), upload_to="private/memoranda/scans/%Y/", blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    objects = MemorandumQuerySet.as_manager()

    class Meta:
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")
        ordering = ["-valid_from", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="memorandum_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self, "title")

    @property
    def goals(self) -> str:
        return _pick(self, "goals")

    @property
    def directions(self) -> str:
        return _pick(self, "directions")

    def is_lapsed(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_until is not None and self.valid_until < on

    @property
    def effective_status(self) -> str:
        """The status a reader sees: a signed or in-force memorandum whose validity has
        passed is expired, whatever the stored value says."""
        if self.status in (self.Status.SIGNED, self.Status.IN_FORCE) and (
            self.is_lapsed()
        ):
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status).label)


class MemorandumParty(BaseModel):
    """One signing party of a memorandum, with who signed on its behalf."""

    memorandum = models.ForeignKey(
        Memorandum,
        verbose_name=_("memorandum"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memorandum_parties",
    )
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_position_kk = models.CharField(
        _("signatory's position (Kazakh)"), max_length=300
    )
    signatory_position_ru = models.CharField(
        _("signatory's position (Russian)"), max_length=300
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["memorandum", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["memorandum", "organisation"],
                name="memorandum_party_unique_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.signatory_name}"

    @property
    def signatory_position(self) -> str:
        return _pick(self, "signatory_position")


class MemorandumStatusChange(BaseModel):
    """History: who moved a memorandum from which status to which, and when."""

    memorandum = models.ForeignKey(
        Memorandum,
        verbose_name=_("memorandum"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Memorandum.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Memorandum.Status.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("memorandum status change")
        verbose_name_plural = _("memorandum status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.memorandum_id}: {self.from_status} → {self.to_status}"


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(
            status__in=[Commitment.Status.PLANNED, Commitment.Status.IN_PROGRESS]
        )

    def overdue(self, on: datetime.date | None = None):
        """Open commitments whose due date has passed; never a stored status."""
        on = on or timezone.localdate()
        return self.open().filter(due_on__lt=on)

    def due_soon(self, on: datetime.date | None = None, days: int = 30):
        on = on or timezone.localdate()
        return self.open().filter(
            due_on__gte=on, due_on__lte=on + datetime.timedelta(days=days)
        )


class Commitment(BaseModel):
    """Who does what by when under a memorandum. Overdue is computed from the due
    date and the status, never typed."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    memorandum = models.ForeignKey(
        Memorandum,
        verbose_name=_("memorandum"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    text_kk = models.TextField(_("commitment (Kazakh)"))
    text_ru = models.TextField(_("commitment (Russian)"))
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible party"),
        on_delete=models.PROTECT,
        related_name="memorandum_commitments",
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["memorandum", "order", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="commitment_completed_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def text(self) -> str:
        return _pick(self, "text")

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class CommitmentNote(BaseModel):
    """A progress note on a commitment; when it changed the status it says so."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("note"))
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Commitment.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Commitment.Status.choices, blank=True
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def changed_status(self) -> bool:
        return bool(self.to_status) and self.to_status != self.from_status


class CommitmentEvidence(BaseModel):
    """A file proving progress on a commitment; private, served through a view."""

    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    note = models.ForeignKey(
        CommitmentNote,
        verbose_name=_("progress note"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to="private/memoranda/evidence/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
