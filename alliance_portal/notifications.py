"""One service through which every message goes: the bell, and an email in the
recipient's language. Emails leave after the transaction commits, through Celery."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification


def notify(
    *, user, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Store a notification for ``user`` and queue its email.

    ``title`` and ``body`` should be lazy translations or callables of no argument:
    they are rendered in the recipient's language, not the sender's.
    """
    language = getattr(user, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        notification = Notification.objects.create(
            recipient=user, kind=kind, title=str(title)[:300], body=str(body), url=url
        )
    from .tasks import send_notification_email

    transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notification_send_email(*, notification_id: int) -> None:
    """Send the email copy once; a notification already emailed is skipped."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if n.emailed_at is not None or not n.recipient.email:
            return
        language = getattr(n.recipient, "language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"notification": n, "user": n.recipient}
            text = render_to_string("emails/notification.txt", context)
            html = render_to_string("emails/notification.html", context)
            subject = f"[{settings.PORTAL_NAME}] {n.title}"
        message = EmailMultiAlternatives(subject, text, to=[n.recipient.email])
        message.attach_alternative(html, "text/html")
        message.send()
        n.emailed_at = timezone.now()
        n.save(update_fields=["emailed_at", "updated_at"])


def reminders_send_due() -> int:
    """Placeholder for the reminders issue: finders will be registered per app."""
    return 0


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
