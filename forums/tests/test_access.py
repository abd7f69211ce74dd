"""Every URL of the app × every role, with the exact status; denials change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance_portal.models import DocumentJob
from forums import services
from forums.models import Registration, Resolution
from forums.tests.factories import (
    EventFactory,
    ForumFactory,
    RegistrationFactory,
    ResolutionFactory,
)
from members.models import Affiliation
from members.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "owner",
    "stranger",
    "expert",
    "staff",
    "fund_officer",
    "official",
    "admin",
]


@pytest.fixture
def world(db):
    organisation = OrganisationFactory()
    owner = UserFactory(role="ngo_leader")
    Affiliation.objects.create(
        user=owner, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    forum = ForumFactory()
    training = EventFactory(past=True, registration_deadline=None)
    resolution = ResolutionFactory(forum=forum)
    registration = RegistrationFactory(forum=forum, organisation=organisation)
    RegistrationFactory(forum=forum, organisation=organisation, status="confirmed")
    RegistrationFactory(
        forum=None, event=training, organisation=organisation, status="attended"
    )
    staff = UserFactory(role="staff")
    material = services.event_material_add(
        event=training,
        title="Слайдтар",
        upload=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=staff,
    )
    return {
        "forum": forum,
        "event": training,
        "resolution": resolution,
        "registration": registration,
        "material": material,
        "users": {
            "owner": owner,
            "stranger": UserFactory(role="ngo_leader"),
            "expert": UserFactory(role="expert"),
            "staff": staff,
            "fund_officer": UserFactory(role="fund_officer"),
            "official": UserFactory(role="official"),
            "admin": UserFactory(role="admin"),
        },
    }


PUBLIC = dict.fromkeys(ROLES, 200)
LOGIN = 302
STAFF_ONLY = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": LOGIN,
    "staff": 200,
    "admin": 200,
}
READERS = {**STAFF_ONLY, "official": 200}
REGISTER = {**STAFF_ONLY, "owner": 200, "stranger": 200}
MY_REGISTRATIONS = {**REGISTER, "official": 200}


def redirects(table):
    return {role: 302 if code == 200 else code for role, code in table.items()}


GET_URLS = [
    ("forums:forum_list", lambda w: [], PUBLIC),
    ("forums:forum_detail", lambda w: [w["forum"].pk], PUBLIC),
    ("forums:resolution_list", lambda w: [], PUBLIC),
    ("forums:resolution_detail", lambda w: [w["resolution"].pk], PUBLIC),
    ("forums:calendar", lambda w: [], PUBLIC),
    ("forums:calendar_ics", lambda w: [], PUBLIC),
    ("forums:event_detail", lambda w: [w["event"].pk], PUBLIC),
    ("forums:material_download", lambda w: [w["material"].pk], PUBLIC),
    ("forums:forum_create", lambda w: [], STAFF_ONLY),
    ("forums:forum_update", lambda w: [w["forum"].pk], STAFF_ONLY),
    ("forums:session_create", lambda w: [w["forum"].pk], STAFF_ONLY),
    ("forums:resolution_create", lambda w: [w["forum"].pk], STAFF_ONLY),
    ("forums:resolution_update", lambda w: [w["resolution"].pk], STAFF_ONLY),
    ("forums:event_create", lambda w: [], STAFF_ONLY),
    ("forums:event_update", lambda w: [w["event"].pk], STAFF_ONLY),
    ("forums:material_add", lambda w: [w["event"].pk], STAFF_ONLY),
    ("forums:certificates", lambda w: [w["event"].pk], redirects(STAFF_ONLY)),
    ("forums:register", lambda w: ["forum", w["forum"].pk], REGISTER),
    ("forums:register", lambda w: ["event", w["event"].pk], REGISTER),
    ("forums:my_registrations", lambda w: [], MY_REGISTRATIONS),
    ("forums:participants", lambda w: ["forum", w["forum"].pk], READERS),
    ("forums:participants", lambda w: ["event", w["event"].pk], READERS),
    ("forums:participants_export", lambda w: ["forum", w["forum"].pk, "csv"], READERS),
    ("forums:participants_export", lambda w: ["event", w["event"].pk, "xlsx"], READERS),
    ("forums:participants_pdf", lambda w: ["forum", w["forum"].pk], redirects(READERS)),
    ("forums:forum_report", lambda w: [w["forum"].pk], redirects(READERS)),
    ("forums:badges", lambda w: ["forum", w["forum"].pk], redirects(READERS)),
    ("forums:badges", lambda w: ["event", w["event"].pk], redirects(READERS)),
    ("forums:stats", lambda w: [], READERS),
]


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "args", "expected"),
    GET_URLS,
    ids=[f"{n}-{i}" for i, (n, _a, _e) in enumerate(GET_URLS)],
)
def test_get_every_url_as_every_role(client, world, role, name, args, expected):
    # given a user of the role / when they open the URL / then the exact status
    response = _client(client, world, role).get(reverse(name, args=args(world)))
    assert response.status_code == expected[role], response.content[:300]
    if expected[role] == LOGIN and role == "anonymous":
        assert "/accounts/login/" in response["Location"]


POST_CASES = {
    # url name: (statuses by role, the registration's status after success)
    "forums:registration_cancel": (
        {**STAFF_ONLY, "owner": 302, "stranger": 404, "staff": 302, "admin": 302},
        Registration.Status.CANCELLED,
    ),
    "forums:registration_confirm": (
        redirects(STAFF_ONLY),
        Registration.Status.CONFIRMED,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(POST_CASES))
def test_registration_actions_as_every_role_and_denials_change_nothing(
    client, world, role, name
):
    # given a pending registration of the owner's organisation
    registration = world["registration"]
    expected, after = POST_CASES[name]
    # when the role posts the action
    response = _client(client, world, role).post(reverse(name, args=[registration.pk]))
    # then the exact status, and the registration changed only when allowed
    assert response.status_code == expected[role]
    registration.refresh_from_db()
    allowed = expected[role] == 302 and role != "anonymous"
    assert registration.status == (after if allowed else Registration.Status.PENDING)


@pytest.mark.parametrize("role", ROLES)
def test_attendance_as_every_role(client, world, role):
    registration = Registration.objects.get(event=world["event"])
    response = _client(client, world, role).post(
        reverse("forums:registration_attendance", args=[registration.pk]),
        {"attended": "0"},
    )
    expected = redirects(STAFF_ONLY)[role]
    assert response.status_code == expected
    registration.refresh_from_db()
    allowed = role in ("staff", "admin")
    assert registration.status == ("confirmed" if allowed else "attended")


@pytest.mark.parametrize("role", ROLES)
def test_resolution_note_as_every_role(client, world, role):
    resolution = world["resolution"]
    response = _client(client, world, role).post(
        reverse("forums:resolution_note", args=[resolution.pk]),
        {"text": "Орындалды", "status": "done"},
    )
    assert response.status_code == redirects(STAFF_ONLY)[role]
    resolution.refresh_from_db()
    done = role in ("staff", "admin")
    assert resolution.status == ("done" if done else Resolution.Status.PLANNED)
    assert resolution.notes.count() == (1 if done else 0)


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_forum_as_every_role(client, world, role):
    before = world["forum"].__class__.objects.count()
    response = _client(client, world, role).post(
        reverse("forums:forum_create"),
        {
            "number": 99,
            "level": "regional",
            "theme_kk": "Тақырып",
            "theme_ru": "Тема",
            "starts_on": "2027-05-01",
            "ends_on": "2027-05-02",
            "district": world["forum"].district_id,
        },
    )
    created = role in ("staff", "admin")
    assert response.status_code == (302 if created else STAFF_ONLY[role])
    assert world["forum"].__class__.objects.count() == before + (1 if created else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["forum", "event"])
def test_badges_are_made_only_for_staff_and_officials(
    client, world, role, kind, django_capture_on_commit_callbacks
):
    # given a forum and an event with confirmed (or present) delegates
    gathering = world[kind]
    # when the role asks for the badges, and follows to the document
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(client, world, role).get(
            reverse("forums:badges", args=[kind, gathering.pk])
        )
    # then the exact status; a job (theirs to download) only for staff and officials
    assert response.status_code == redirects(READERS)[role]
    jobs = DocumentJob.objects.filter(kind="forums_badges")
    if READERS[role] != 200:
        assert not jobs.exists()
        return
    job = jobs.get()
    assert response["Location"] == reverse("document_status", args=[job.pk])
    download = client.get(reverse("document_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_posts_only_endpoints_refuse_get(client, world):
    client.force_login(world["users"]["staff"])
    url = reverse("forums:registration_cancel", args=[world["registration"].pk])
    assert client.get(url).status_code == 405
