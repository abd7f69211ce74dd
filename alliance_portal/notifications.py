"""One service through which every message goes: the bell, and an email in the
recipient's language (now, in a daily digest, or not at all, as the user chose).

Emails leave after the transaction commits, through Celery. If the broker is down at
that moment the user's action still succeeds: the notification stays in the outbox
(``email_status=pending``) and :func:`outbox_flush`, run by beat, sends it later.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)


# The bell's count is read by every page; it changes only through this module.
UNREAD_TTL = 300  # seconds; a safety net for writes that bypass this module


def _unread_key(user) -> str:
    # The join time too: a primary key may be reused (a test database rolled back).
    joined = user.date_joined.timestamp() if user.date_joined else 0
    return f"bell:unread:{user.pk}:{joined}"


def unread_count(*, user) -> int:
    """The number of unread notifications of ``user``, cached until one is added or
    read (so a page costs no query for the bell)."""
    key = _unread_key(user)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at=None).count()
        cache.set(key, count, UNREAD_TTL)
    return count


def _forget_unread(user) -> None:
    # Also after commit: a reader between the write and the commit would cache the
    # old count again; deleting now and after commit covers both orders.
    key = _unread_key(user)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _channel(user, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return pref.channel if pref else NotificationPreference.Channel.EMAIL


def _queue_email(notification_id: int) -> None:
    """Hand the email to Celery; a broker failure leaves it in the outbox."""
    from .tasks import send_notification_email

    try:
        send_notification_email.delay(notification_id)
    except Exception:  # the broker is down: beat's outbox flush will send it
        logger.warning(
            "Broker unavailable; notification %s stays in the outbox", notification_id
        )


def notify(*, user, kind: str, title, body="", url: str = "") -> Notification:
    """Store a notification for ``user`` and queue its email per their preference.

    Pass lazy translations for ``title`` and ``body``: they are rendered in the
    recipient's language, not the sender's.
    """
    language = getattr(user, "language", None) or settings.LANGUAGE_CODE
    channel = _channel(user, kind)
    email_status = {
        NotificationPreference.Channel.EMAIL: Notification.EmailStatus.PENDING,
        NotificationPreference.Channel.DIGEST: Notification.EmailStatus.DIGEST,
        NotificationPreference.Channel.PORTAL: Notification.EmailStatus.NONE,
    }[channel]
    if not user.email:
        email_status = Notification.EmailStatus.NONE
    with translation.override(language):
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            title=str(title)[:300],
            body=str(body),
            url=url,
            email_status=email_status,
        )
    _forget_unread(user)
    if email_status == Notification.EmailStatus.PENDING:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def _send(subject: str, template: str, context: dict, to: str) -> None:
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "PORTAL_NAME": settings.PORTAL_NAME,
    }
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def notification_send_email(*, notification_id: int) -> bool:
    """Send the email copy once; returns False when it was already sent (or claimed)."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if n is None:
            return False
        language = n.recipient.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = f"[{settings.PORTAL_NAME}] {n.title}"
            _send(
                subject,
                "notification",
                {"notification": n, "user": n.recipient},
                n.recipient.email,
            )
        n.email_status = Notification.EmailStatus.SENT
        n.emailed_at = timezone.now()
        n.save(update_fields=["email_status", "emailed_at", "updated_at"])
    return True


def outbox_flush(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Send emails whose task never reached a worker (broker down at the time)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(
            email_status=Notification.EmailStatus.PENDING, created_at__lte=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    return sum(notification_send_email(notification_id=pk) for pk in ids)


def digests_send() -> int:
    """One email per user with every notification they chose to get as a digest."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(notifications__email_status=Notification.EmailStatus.DIGEST)
        .distinct()
    )
    sent = 0
    for user in users:
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient=user, email_status=Notification.EmailStatus.DIGEST)
                .order_by("created_at")
            )
            if not items:
                continue
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = "[{}] {}".format(
                    settings.PORTAL_NAME, translation.gettext("Daily digest")
                )
                _send(subject, "digest", {"items": items, "user": user}, user.email)
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
            )
            sent += 1
    return sent


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    changed = qs.update(read_at=timezone.now())
    _forget_unread(user)
    return changed


def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store the user's delivery choice per kind of message."""
    valid = set(NotificationPreference.Channel.values)
    with transaction.atomic():
        for kind, channel in choices.items():
            if channel not in valid:
                raise ValueError(channel)
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"channel": channel}
            )
