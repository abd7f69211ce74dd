"""Redis down loses nothing.

Not a mock: Celery really publishes to a broker address nobody listens on, and the
cache really talks to a Redis that is not there. A leader still submits, staff still
approve a report, and a PDF asked for is kept and made once the broker is back."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from kombu import pools as kombu_pools

from alliance_portal.documents import documents_requeue, register
from alliance_portal.models import DocumentJob, Notification
from grants import services as grant_services
from grants.models import Report
from grants.tests.factories import make_grant
from members.tests.factories import OrganisationFactory
from projects.models import Application
from projects.tests.factories import complete_draft, leader_of

pytestmark = pytest.mark.django_db
UNREACHABLE = "redis://127.0.0.1:1/0"


@register("later_txt")
def _build_later(job):
    return "later.txt", job.params["text"].encode()


@pytest.fixture
def redis_down(settings):
    """The broker and the cache point at a port where nothing listens."""
    from alliance_portal.celery import app

    saved = {
        k: app.conf[k]
        for k in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=UNREACHABLE,
        broker_transport_options={
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
        },
    )
    _fresh_pools(app)
    settings.CACHES = {
        "default": {
            "BACKEND": "alliance_portal.cache.ResilientRedisCache",
            "LOCATION": UNREACHABLE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    try:
        yield
    finally:
        app.conf.update(saved)
        _fresh_pools(app)


def _fresh_pools(app):
    """Connections to the broker now configured: a closed pool is not reopened, so
    drop it and kombu's global pools built on it (else publishing fails with
    "Acquire on closed pool" before any connection is even tried)."""
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


def test_cache_down_reads_miss_and_writes_are_dropped(redis_down):
    # when the cache is used while Redis is unreachable
    cache.set("k", "v")
    # then nothing raises and reads miss
    assert cache.get("k", "default") == "default"
    assert cache.add("k", "v") is False


def test_leader_submits_while_redis_is_down(
    client, redis_down, django_capture_on_commit_callbacks
):
    # given a complete draft of a leader's organisation
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    draft = complete_draft(organisation=organisation, created_by=leader)
    client.force_login(leader)
    # when they submit it while the broker and the cache are unreachable
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("projects:submit", args=[draft.pk]))
    # then it is submitted and numbered, and the email waits in the outbox
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert draft.number
    assert not Notification.objects.exclude(
        email_status__in=[
            Notification.EmailStatus.PENDING,
            Notification.EmailStatus.DIGEST,
            Notification.EmailStatus.NONE,
        ]
    ).exists()


def test_staff_approve_a_report_while_redis_is_down(
    client, make_user, redis_down, django_capture_on_commit_callbacks
):
    # given a signed grant with a submitted report
    staff = make_user("staff")
    grant = make_grant(actor=staff, signed=True)
    leader = leader_of(grant.organisation)
    report = grant_services.report_save(
        grant=grant,
        actor=leader,
        kind=Report.Kind.INTERIM,
        period_start=grant.starts_on,
        period_end=grant.starts_on,
        activities="Семинар өтті.",
        results="40 адам оқыды.",
    )
    grant_services.report_submit(report=report, actor=leader)
    client.force_login(staff)
    # when staff approve it while the broker and the cache are unreachable
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:report_decide", args=[report.pk]), {"decision": "approve"}
        )
    # then it is approved
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_pdf_asked_while_redis_is_down_is_kept_and_says_it_comes_later(
    client, redis_down, django_capture_on_commit_callbacks
):
    # given a submitted application
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    draft = complete_draft(organisation=organisation, created_by=leader)
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:submit", args=[draft.pk]))
    # when its PDF is asked for while the broker is unreachable
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:pdf", args=[draft.pk]), {"language": "kk"}
        )
    # then the request is kept and the page says the document will come later
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "data-document-later" in page.content.decode()
    job = DocumentJob.objects.get(kind="application_pdf")
    assert job.waits_for_queue


def test_document_waiting_for_the_broker_is_rendered_by_the_requeue(
    make_user, django_capture_on_commit_callbacks
):
    # given a job asked for while the broker was down
    user = make_user("staff")
    job = DocumentJob.objects.create(
        kind="later_txt",
        key="later_txt:1",
        params={"text": "Кейін"},
        requested_by=user,
        error=f"{DocumentJob.NOT_QUEUED}connection refused",
    )
    # when beat's requeue runs with the broker back (eager here)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_requeue() == 1
    # then the document is made
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE
    assert job.file
