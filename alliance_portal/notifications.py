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

from .kinds import kind_label
from .message_text import encode, render
from .models import Notification, NotificationPreference, localized_path

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


def notify(
    *,
    user,
    kind: str,
    title,
    body="",
    url: str = "",
    params: dict | None = None,
    message: dict | None = None,
) -> Notification:
    """Store a notification for ``user`` and queue its email per their preference.

    Pass lazy translations for ``title`` and ``body``, with their ``params`` (dates,
    Decimal money, lazy labels, ``{"kk": …, "ru": …}`` names): the notification keeps
    the source and renders it in each reader's language, in the bell and the email.
    ``message`` is an already encoded source (a reminder's).
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
    if message is None:
        message = {
            part: encoded
            for part, encoded in (
                ("title", encode(title, params)),
                ("body", encode(body, params) if body else None),
            )
            if encoded
        }
    with translation.override(language):
        notification = Notification.objects.create(
            recipient=user,
            kind=kind,
            title=(render(message.get("title")) or _plain(title, params))[:300],
            body=render(message.get("body")) or _plain(body, params),
            url=url,
            message=message,
            email_status=email_status,
        )
    _forget_unread(user)
    if email_status == Notification.EmailStatus.PENDING:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


def _plain(text, params) -> str:
    text = str(text)
    if params:
        from .message_text import decode_value, encode_value

        return text % {k: decode_value(encode_value(v)) for k, v in params.items()}
    return text


# Messages of one kind to one person within this window go out as one email: a council
# decision on three applications, or an expert's batch of assignments, is one email.
GROUP_WINDOW = timedelta(minutes=1)


def subject_line(text) -> str:
    """``[Азаматтық альянс] …``: the portal's name in the reader's language."""
    return f"[{translation.gettext('Civil Alliance')}] {text}"


def _send(subject: str, template: str, context: dict, to: str, language: str) -> None:
    context = {
        **context,
        "site_url": settings.SITE_URL,
        "PORTAL_NAME": settings.PORTAL_NAME,
        "language": language,
    }
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


def _email_items(items: list[Notification], language: str) -> list[dict]:
    return [
        {
            "title": n.display_title,
            "body": n.display_body,
            "url": localized_path(n.url, language) if n.url else "",
        }
        for n in items
    ]


def notification_send_email(*, notification_id: int) -> bool:
    """Send the email copy once, in the recipient's language, together with the other
    pending messages of the same kind sent to them within a minute of it; returns
    False when it was already sent (or claimed, or sent with such a group)."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if n is None:
            return False
        group = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                recipient_id=n.recipient_id,
                kind=n.kind,
                email_status=Notification.EmailStatus.PENDING,
                created_at__gte=n.created_at - GROUP_WINDOW,
                created_at__lte=n.created_at + GROUP_WINDOW,
            )
            .exclude(pk=n.pk)
            .order_by("created_at", "pk")
        )
        items = [n, *group]
        language = n.recipient.language or settings.LANGUAGE_CODE
        with translation.override(language):
            if len(items) == 1:
                subject = subject_line(n.display_title)
            else:
                subject = subject_line(f"{kind_label(n.kind)} ({len(items)})")
            _send(
                subject,
                "notification",
                {"items": _email_items(items, language), "user": n.recipient},
                n.recipient.email,
                language,
            )
        Notification.objects.filter(pk__in=[i.pk for i in items]).update(
            email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
        )
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
            language = user.language or settings.LANGUAGE_CODE
            with translation.override(language):
                subject = subject_line(translation.gettext("Daily digest"))
                _send(
                    subject,
                    "digest",
                    {"items": _email_items(items, language), "user": user},
                    user.email,
                    language,
                )
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
