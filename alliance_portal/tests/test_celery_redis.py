"""A real Celery worker consuming from the real Redis of REDIS_URL (CI sets it)."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker

from alliance_portal.celery import app
from alliance_portal.documents import document_request
from alliance_portal.models import DocumentJob
from alliance_portal.tasks import ping

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no real broker"),
]


@pytest.fixture
def real_worker():
    """Point the app at Redis, not eager mode, and run a worker thread on it."""
    saved = {
        k: app.conf[k] for k in ("task_always_eager", "broker_url", "result_backend")
    }
    app.conf.update(
        task_always_eager=False, broker_url=REDIS_URL, result_backend=REDIS_URL
    )
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING"
        ):
            yield
    finally:
        app.conf.update(saved)


def test_a_task_goes_through_redis_to_a_real_worker(real_worker):
    result = ping.delay()
    assert result.get(timeout=20) == "pong"


@pytest.mark.django_db(transaction=True)
def test_a_document_is_rendered_by_the_real_worker(real_worker, make_user):
    # given the sample PDF builder registered by test_core
    import alliance_portal.tests.test_core  # noqa: F401

    user = make_user("staff")
    # when a document is requested outside any transaction (on_commit fires at once)
    job = document_request(
        kind="sample_pdf", key="redis", params={"title": "Өнер"}, user=user
    )
    # then the worker picks it up from Redis and renders it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (DocumentJob.Status.DONE, DocumentJob.Status.FAILED):
            break
        time.sleep(0.2)
    assert job.status == DocumentJob.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_beat_reminder_job_through_redis_sends_kazakh_email(real_worker, settings):
    """End to end: the beat schedule's reminder task goes through Redis to a real
    worker, which stores the reminder and sends the email (locmem) in Kazakh."""
    import datetime

    from django.core import mail
    from django.utils import timezone

    from alliance_portal.models import Reminder
    from members.tests.factories import AffiliationFactory, UserFactory
    from memoranda.tests.factories import CommitmentFactory

    # given a Kazakh-speaking leader whose organisation owes a commitment in 10 days
    leader = UserFactory(language="kk")
    org = AffiliationFactory(user=leader).organisation
    CommitmentFactory(
        responsible=org, due_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    mail.outbox.clear()
    # when beat fires the daily job once (the task named in the schedule)
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    app.send_task(entry["task"]).get(timeout=60)
    # then the worker stored one reminder and, through Redis again, emailed it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [
        m for m in mail.outbox if leader.email in m.to
    ]:
        time.sleep(0.2)
    sent = [m for m in mail.outbox if leader.email in m.to]
    assert len(sent) == 1
    assert "Меморандум бойынша міндеттеменің мерзімі" in sent[0].subject
    assert "Сәлеметсіз бе" in sent[0].body
    assert Reminder.objects.filter(recipient=leader).count() == 1
    # and firing it again sends nothing new
    app.send_task(entry["task"]).get(timeout=60)
    time.sleep(1)
    assert len([m for m in mail.outbox if leader.email in m.to]) == 1
