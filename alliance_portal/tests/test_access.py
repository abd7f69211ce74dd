"""Every URL of the foundation, as every role and as a visitor: the exact status."""

import pytest
from django.urls import reverse

from alliance_portal.models import DocumentJob, Notification

pytestmark = pytest.mark.django_db

ROLES = ["ngo_leader", "expert", "staff", "fund_officer", "official", "admin"]


@pytest.fixture
def job(make_user):
    owner = make_user("ngo_leader", email="owner@example.kz")
    return DocumentJob.objects.create(kind="sample", key="k1", requested_by=owner)


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_home_answers_every_role_with_its_own_page(client, make_user, role):
    # given a visitor or a user of a role
    user = make_user(role) if role else None
    # when they open the home page
    response = _get(client, user, "/kk/")
    # then they see their role's home page
    assert response.status_code == 200
    template = f"home/{role or 'public'}.html"
    assert template in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), *[(r, 200) for r in ROLES]],
)
def test_notifications_page_needs_login(client, make_user, role, expected):
    user = make_user(role) if role else None
    response = _get(client, user, reverse("notifications"))
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("ngo_leader", 404),  # a stranger to the job
        ("expert", 404),
        ("staff", 200),
        ("fund_officer", 404),
        ("official", 404),
        ("admin", 200),
    ],
)
def test_document_status_is_visible_to_its_requester_and_staff_only(
    client, make_user, job, role, expected
):
    user = make_user(role) if role else None
    response = _get(client, user, reverse("document_status", args=[job.pk]))
    assert response.status_code == expected


def test_document_owner_sees_status_but_cannot_download_unfinished(client, job):
    client.force_login(job.requested_by)
    assert client.get(reverse("document_status", args=[job.pk])).status_code == 200
    assert client.get(reverse("document_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("ngo_leader", 302),
        ("staff", 302),
        ("official", 302),
        ("admin", 200),
    ],
)
def test_admin_site_is_for_administrators_only(client, make_user, role, expected):
    user = make_user(role) if role else None
    response = _get(client, user, "/kk/admin/")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "url",
    ["/kk/accounts/login/", "/kk/accounts/signup/", "/kk/accounts/password/reset/"],
)
def test_account_pages_are_public(client, url):
    assert client.get(url).status_code == 200


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/kk/no-such-page/")
    assert response.status_code == 404
    assert "Бет табылмады" in response.content.decode()


def test_marking_notifications_read_touches_only_own(client, make_user):
    # given two users with unread notifications
    me, other = make_user("ngo_leader"), make_user("ngo_leader")
    mine = Notification.objects.create(recipient=me, kind="t", title="a")
    theirs = Notification.objects.create(recipient=other, kind="t", title="b")
    client.force_login(me)
    # when I mark "their" id and all of mine as read
    client.post(reverse("notifications_read"), {"id": [mine.pk, theirs.pk]})
    # then only mine is read
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_reading_the_portal_in_russian_makes_russian_the_users_language(
    client, make_user
):
    user = make_user("ngo_leader", language="kk")
    client.force_login(user)
    client.get("/ru/")
    user.refresh_from_db()
    assert user.language == "ru"
