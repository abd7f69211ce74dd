"""The notify service, delivery preferences, the outbox and exactly-once reminders."""

import datetime
import threading
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _
from kombu import pools as kombu_pools

from alliance_portal import reminders
from alliance_portal.models import Notification, NotificationPreference, Reminder
from alliance_portal.notifications import (
    digests_send,
    notifications_mark_read,
    notify,
    outbox_flush,
)
from alliance_portal.reminders import Due, reminders_send_due

pytestmark = pytest.mark.django_db

# A finder for these tests only: yields whatever a test puts in PLANNED.
PLANNED: list[Due] = []


@reminders.finder
def _test_finder(today):
    return [d for d in PLANNED if d.due_date >= today]


@pytest.fixture(autouse=True)
def _planned():
    PLANNED.clear()
    yield
    PLANNED.clear()


def test_notify_emails_the_recipient_in_their_language(
    make_user, django_capture_on_commit_callbacks
):
    # given a Kazakh-speaking user
    user = make_user("ngo_leader", language="kk")
    # when a message with a lazy (translatable) title is sent
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="test", title=_("Page not found"), url="/kk/")
    # then the bell and the email are in Kazakh
    n = Notification.objects.get(recipient=user)
    assert n.title == "Бет табылмады"
    assert n.email_status == Notification.EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert "Бет табылмады" in mail.outbox[0].subject
    assert "Сәлеметсіз" in mail.outbox[0].body


def test_portal_only_preference_sends_no_email(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("ngo_leader")
    NotificationPreference.objects.create(user=user, kind="test", channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="test", title="x")
    assert mail.outbox == []
    assert Notification.objects.get().email_status == Notification.EmailStatus.NONE


def test_digest_preference_collects_messages_into_one_email(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("ngo_leader")
    NotificationPreference.objects.create(user=user, kind="test", channel="digest")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="test", title="first")
        notify(user=user, kind="test", title="second")
    assert mail.outbox == []
    # when the daily digest runs, twice
    assert digests_send() == 1
    assert digests_send() == 0
    # then one email holds both
    assert len(mail.outbox) == 1
    assert "first" in mail.outbox[0].body
    assert "second" in mail.outbox[0].body


def test_broker_down_keeps_the_action_and_sends_later(
    make_user, django_capture_on_commit_callbacks
):
    # given a broker that refuses connections
    user = make_user("ngo_leader")
    with (
        mock.patch(
            "alliance_portal.tasks.send_notification_email.delay",
            side_effect=ConnectionRefusedError("redis down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        # when an action notifies someone
        notify(user=user, kind="test", title="tranche paid")
    # then the action succeeded, the notification waits in the outbox
    n = Notification.objects.get()
    assert n.email_status == Notification.EmailStatus.PENDING
    assert mail.outbox == []
    # and once the broker is back, beat's outbox flush sends it exactly once
    with time_machine.travel(datetime.timedelta(minutes=5)):
        assert outbox_flush() == 1
        assert outbox_flush() == 0
    assert len(mail.outbox) == 1


def _due(user, key="report:1:due-in-7", day=datetime.date(2026, 12, 1)):
    return Due(
        key=key,
        kind="report_due",
        recipient=user,
        due_date=day,
        title="Есеп",
        url="/kk/",
    )


def test_running_the_job_twice_sends_one_reminder(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("ngo_leader")
    PLANNED.append(_due(user))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=datetime.date(2026, 11, 24))
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=datetime.date(2026, 11, 24))
    assert Reminder.objects.count() == 1
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1


def test_a_worker_dying_mid_run_leaves_the_reminder_for_the_next_run(make_user):
    user = make_user("ngo_leader")
    PLANNED.append(_due(user))
    # when the worker dies while sending (the notification cannot be stored)
    with (
        mock.patch(
            "alliance_portal.reminders.notify", side_effect=SystemExit("killed")
        ),
        pytest.raises(SystemExit),
    ):
        reminders_send_due(today=datetime.date(2026, 11, 24))
    # then nothing was half-sent: the row is still pending, no notification exists
    assert Reminder.objects.get().status == Reminder.Status.PENDING
    assert Notification.objects.count() == 0
    # and the next run sends it, once
    reminders_send_due(today=datetime.date(2026, 11, 24))
    reminders_send_due(today=datetime.date(2026, 11, 24))
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL (CI runs it)")
    users = [make_user("ngo_leader") for _ in range(3)]
    PLANNED.extend(
        _due(user, key=f"report:{i}:{step}")
        for i, user in enumerate(users)
        for step in range(10)
    )
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        from django.db import connection as conn

        try:
            barrier.wait()
            reminders_send_due(today=datetime.date(2026, 11, 24))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Reminder.objects.count() == 30
    assert Notification.objects.count() == 30
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("ngo_leader", 403),
        ("expert", 403),
        ("fund_officer", 403),
        ("official", 403),
        ("staff", 200),
        ("admin", 200),
    ],
)
def test_deadlines_page_is_for_staff(client, make_user, role, expected):
    if role:
        client.force_login(make_user(role))
    assert client.get("/kk/deadlines/").status_code == expected


def test_preferences_are_saved_per_kind(client, make_user):
    user = make_user("ngo_leader")
    Notification.objects.create(recipient=user, kind="tranche_paid", title="x")
    client.force_login(user)
    response = client.post(
        "/kk/notifications/settings/", {"kind-tranche_paid": "digest"}
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=user).channel == "digest"
    bad = client.post("/kk/notifications/settings/", {"kind-tranche_paid": "pigeon"})
    assert bad.status_code == 200
    assert NotificationPreference.objects.get(user=user).channel == "digest"


def test_unreachable_broker_does_not_fail_the_action(
    make_user, django_capture_on_commit_callbacks
):
    """Not a mock: the app really publishes to a broker address nobody listens on."""
    from alliance_portal.celery import app

    user = make_user("ngo_leader")
    saved = {
        k: app.conf[k]
        for k in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        broker_transport_options={
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
        },
    )
    app.pool.force_close_all()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(user=user, kind="test", title="report approved")
    finally:
        app.conf.update(saved)
        app.pool.force_close_all()
        # A closed pool is not reopened: drop it and kombu's global pools built on it.
        app._pool = None
        app.amqp._producer_pool = None
        kombu_pools.reset()
    # the action's notification exists and waits in the outbox
    n = Notification.objects.get(recipient=user)
    assert n.email_status == Notification.EmailStatus.PENDING
    # when the broker is back, the outbox flush sends it
    with time_machine.travel(datetime.timedelta(minutes=5)):
        assert outbox_flush() == 1
    assert len(mail.outbox) == 1


def test_the_bell_count_is_cached_until_a_notification_is_added_or_read(
    client, make_user, django_capture_on_commit_callbacks
):
    # given a user with one unread notification who has seen a page once
    user = make_user("ngo_leader")
    NotificationPreference.objects.create(user=user, kind="test", channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="test", title="бір")
    client.force_login(user)
    assert client.get("/kk/").context["unread_notifications"] == 1
    # when the page is opened again, then the bell costs no query
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/kk/")
    assert response.context["unread_notifications"] == 1
    assert not any(
        "alliance_portal_notification" in q["sql"] for q in ctx.captured_queries
    )
    # when a second arrives, then the bell shows it
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="test", title="екі")
    assert client.get("/kk/").context["unread_notifications"] == 2
    # when all are read, then the bell is empty
    notifications_mark_read(user=user)
    assert client.get("/kk/").context["unread_notifications"] == 0


def test_bell_title_follows_the_reader_not_the_language_at_sending(make_user):
    from django.utils import translation

    from projects.texts import lazy_format

    # given a Kazakh-speaking recipient and a title with a parameter
    user = make_user("ngo_leader", language="kk")
    notify(
        user=user,
        kind="application_returned",
        title=lazy_format(
            _("Application %(number)s returned for revision"), number="IG-2026-0042"
        ),
        url="/kk/projects/my/",
    )
    n = Notification.objects.get(recipient=user)
    # when it is read in Russian (the user switched language)
    with translation.override("ru"):
        title, link = n.display_title, n.link()
    # then it is Russian, with the Russian prefix, and the stored text stays Kazakh
    assert "IG-2026-0042" in title
    assert title != n.title
    assert link == "/ru/projects/my/"
