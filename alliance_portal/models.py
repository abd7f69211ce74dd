"""Cross-cutting models: timestamps, generated documents, notifications."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """History of a workflow: who moved the object from which status to which, when,
    and why. Concrete models add the foreign key to the object they record."""

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
        abstract = True
        ordering = ["created_at", "pk"]


class DocumentJob(BaseModel):
    """A document rendered by Celery. Asking twice for the same key returns this row."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # ``error`` prefix of a job asked for while the broker was down: not failed,
    # waiting to be handed to a worker (see documents.documents_requeue).
    NOT_QUEUED = "not queued: "

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def waits_for_queue(self) -> bool:
        return self.status == self.Status.PENDING and self.error.startswith(
            self.NOT_QUEUED
        )


class Notification(BaseModel):
    """An in-portal message (the bell); its email copy is sent by the notify service."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("To send")
        DIGEST = "digest", _("In the next digest")
        SENT = "sent", _("Sent")
        NONE = "none", _("Not emailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The English source of title and body and their typed parameters (see
    # alliance_portal.message_text): each reader gets them in their own language.
    # ``title``/``body`` keep the text as the recipient read it when it was sent.
    message = models.JSONField(_("message"), default=dict, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The email copy: the rows still pending are the outbox, flushed by Celery beat
    # when the broker was down at the moment of the action.
    email_status = models.CharField(
        _("email"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the active language (the stored text for older rows)."""
        from .message_text import render

        return render((self.message or {}).get("title")) or self.title

    @property
    def display_body(self) -> str:
        from .message_text import render

        return render((self.message or {}).get("body")) or self.body

    @property
    def kind_label(self) -> str:
        from .kinds import kind_label

        return kind_label(self.kind)

    def link(self, language: str | None = None) -> str:
        """The stored path under ``language``'s prefix: links were stored with the
        prefix active when they were made, which is not the reader's."""
        return localized_path(self.url, language)


def localized_path(path: str, language: str | None = None) -> str:
    from django.utils.translation import get_language

    if not path or not path.startswith("/"):
        return path
    codes = {code for code, _name in settings.LANGUAGES}
    first, _slash, rest = path[1:].partition("/")
    if first in codes:
        path = "/" + rest
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return f"/{language}{path}"


class NotificationPreference(models.Model):
    """How a user wants one kind of message: email at once, a daily digest, or only
    the bell. No row means email at once."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email at once")
        DIGEST = "digest", _("Daily digest")
        PORTAL = "portal", _("Only in the portal")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(
        _("delivery"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.channel}"


class Reminder(BaseModel):
    """One reminder for one thing at one step. The unique ``key`` (target, kind, step,
    due date) is what makes reminders exactly-once, however often the job runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")

    key = models.CharField(_("key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    due_date = models.DateField(_("due date"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Source and parameters, passed on to the notification (see Notification.message).
    message = models.JSONField(_("message"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.key

    @property
    def display_title(self) -> str:
        """The title in the active language (the stored text for older rows)."""
        from .message_text import render

        return render((self.message or {}).get("title")) or self.title


class SecurityEvent(models.Model):
    """What an administrator needs to answer "who got in, who tried, who took what":
    logins and failed logins, two-factor changes, role changes, expired privileged
    sessions, and every download of a private file or a personal-data export.

    Rows are only ever added (by :func:`alliance_portal.security.record_event`); the
    admin shows them read-only."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        MFA_CHANGED = "mfa_changed", _("Two-factor change")
        ROLE_CHANGED = "role_changed", _("Role change")
        SESSION_EXPIRED = "session_expired", _("Session expired after inactivity")
        FILE_DOWNLOAD = "file_download", _("Private file downloaded")
        DATA_EXPORT = "data_export", _("Personal-data export")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    login = models.CharField(_("login typed"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.user or self.login}"


def _issued_upload(instance: "IssuedDocument", filename: str) -> str:
    # The hash in the path: two versions never share a file, and nothing overwrites.
    return f"private/issued/{instance.kind}/{instance.sha256[:2]}/{instance.sha256}.pdf"


class IssuedDocument(models.Model):
    """An official document as it was issued: the exact PDF bytes and their SHA-256,
    a number, a version and an issue date. A row is never changed or deleted: a
    correction is a new version with its reason, and every earlier version stays
    downloadable. These bytes are what an electronic signature will sign."""

    kind = models.CharField(_("kind"), max_length=50)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("subject type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("subject"))
    subject = GenericForeignKey("subject_type", "subject_id")
    # kk, ru, or kk-ru (the bilingual two-column layout).
    variant = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issue date"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason for the new version"), blank=True)
    file = models.FileField(_("file"), upload_to=_issued_upload, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size, bytes"))
    # What the document was made from (template version, layout…), for the record.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    job = models.OneToOneField(
        DocumentJob,
        verbose_name=_("generated document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued",
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["kind", "variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "variant", "version"],
                name="issued_document_version_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="issued_document_version_1"
            ),
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="issued_document_sha256_hex",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.number} v{self.version} ({self.variant})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("An issued document is immutable: issue a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An issued document is never deleted.")
