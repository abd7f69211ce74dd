"""Reminders: every app says what is due in its ``reminders.py``; one daily job sends
each reminder exactly once.

An app registers finders::

    @finder
    def report_deadlines(today: date) -> Iterable[Due]:
        ...

and, for the staff's deadlines page, ``@deadlines`` functions returning
:class:`Deadline` items between two dates.

Exactly once: each :class:`Due` carries a key naming the thing, the kind and the step
("report:42:due-in-7:2026-12-01"); the ``Reminder`` row is unique on it, so running the
job twice, or on two workers at once, stores one row. Rows are then claimed with
``select_for_update(skip_locked=True)`` and marked sent in the same transaction as the
notification is stored: a worker that dies mid-run leaves its rows pending for the
next run, never half-sent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules

from .message_text import decode_value, encode, encode_value
from .models import Reminder
from .notifications import notify


@dataclass(frozen=True)
class Due:
    key: str
    kind: str
    recipient: object
    due_date: datetime.date
    title: str
    body: str = ""
    url: str = ""
    # Values for %(name)s placeholders: title and body are formatted with them in the
    # recipient's language (a lazy text formatted in the finder would freeze the
    # language of whoever ran the job).
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    kind: str
    title: str
    url: str = ""
    who: str = ""
    extra: dict = field(default_factory=dict)


Finder = Callable[[datetime.date], Iterable[Due]]
DeadlineSource = Callable[[datetime.date, datetime.date], Iterable[Deadline]]
_finders: list[Finder] = []
_deadline_sources: list[DeadlineSource] = []


def finder(func: Finder) -> Finder:
    _finders.append(func)
    return func


def deadlines(func: DeadlineSource) -> DeadlineSource:
    _deadline_sources.append(func)
    return func


def autodiscover() -> None:
    autodiscover_modules("reminders")


def step_for(
    *,
    today: datetime.date,
    due: datetime.date,
    before: int,
    weekly_overdue: bool = False,
) -> str | None:
    """Which reminder step ``today`` falls in for something due on ``due``.

    Steps are windows, not single days, so a job that missed a day still sends; the
    reminder key (which includes the step) keeps each step to one message:
    ``before-N`` in the N days before, ``today`` on the day, ``overdue`` after it
    (``overdue-wK``, one per week, when ``weekly_overdue``).
    """
    days_left = (due - today).days
    if 0 < days_left <= before:
        return f"before-{before}"
    if days_left == 0:
        return "today"
    if days_left < 0:
        return f"overdue-w{(-days_left - 1) // 7}" if weekly_overdue else "overdue"
    return None


def _formatted(text, params: dict) -> str:
    if not params:
        return str(text)
    return str(text) % {k: decode_value(encode_value(v)) for k, v in params.items()}


def reminders_collect(*, today: datetime.date) -> int:
    """Store a pending row for every reminder due today that was never stored."""
    created = 0
    for find in _finders:
        for due in find(today):
            # Lazy texts are rendered now, in the recipient's language.
            language = getattr(due.recipient, "language", "") or settings.LANGUAGE_CODE
            try:
                with transaction.atomic(), translation.override(language):
                    _, was_created = Reminder.objects.get_or_create(
                        key=due.key[:255],
                        defaults={
                            "kind": due.kind,
                            "recipient": due.recipient,
                            "due_date": due.due_date,
                            "title": _formatted(due.title, due.params)[:300],
                            "body": _formatted(due.body, due.params),
                            "url": due.url,
                            "message": {
                                part: encoded
                                for part, encoded in (
                                    ("title", encode(due.title, due.params)),
                                    ("body", encode(due.body, due.params)),
                                )
                                if encoded
                            },
                        },
                    )
            except IntegrityError:  # another worker stored it a moment ago
                continue
            created += was_created
    return created


def reminders_send_pending(*, batch: int = 200) -> int:
    """Send the pending rows, each exactly once, whatever the number of workers."""
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                Reminder.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(status=Reminder.Status.PENDING)
                .order_by("pk")[:batch]
            )
            if not rows:
                return sent
            for row in rows:
                row.notification = notify(
                    user=row.recipient,
                    kind=row.kind,
                    title=row.title,
                    body=row.body,
                    url=row.url,
                    message=row.message,
                )
                row.status, row.sent_at = Reminder.Status.SENT, timezone.now()
                row.save(
                    update_fields=["notification", "status", "sent_at", "updated_at"]
                )
            sent += len(rows)


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    reminders_collect(today=today)
    return reminders_send_pending()


def deadlines_between(start: datetime.date, end: datetime.date) -> list[Deadline]:
    items = [d for source in _deadline_sources for d in source(start, end)]
    return sorted(items, key=lambda d: (d.date, d.kind, d.title))
