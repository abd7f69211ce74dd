"""Every URL of the app × every role, with the exact status; denied writes change
nothing."""

import pytest
from django.urls import reverse

from memoranda.models import Commitment, CommitmentNote, Memorandum

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
LOGIN = "login"  # a redirect to the login page
OK, GONE, DENIED, REDIRECT = 200, 404, 403, 302

# url name, object key, method → status per role (order of ROLES)
READ_ALL = [OK] * 8
STAFF_ONLY = [LOGIN, DENIED, DENIED, DENIED, OK, DENIED, DENIED, OK]
OVERSIGHT = [GONE, GONE, GONE, GONE, OK, OK, OK, OK]
OVERSIGHT_OR_OWNER = [GONE, OK, GONE, GONE, OK, OK, OK, OK]
CASES = [
    ("memoranda:list", None, "get", READ_ALL),
    ("memoranda:detail", "in_force", "get", READ_ALL),
    ("memoranda:detail", "draft", "get", OVERSIGHT),
    ("memoranda:detail", "lapsed", "get", OVERSIGHT_OR_OWNER),
    ("memoranda:scan", "in_force", "get", READ_ALL),
    ("memoranda:scan", "draft", "get", OVERSIGHT),
    ("memoranda:create", None, "get", STAFF_ONLY),
    ("memoranda:update", "in_force", "get", STAFF_ONLY),
    ("memoranda:commitment_create", "in_force", "get", STAFF_ONLY),
    ("memoranda:commitment_update", "commitment", "get", STAFF_ONLY),
    ("memoranda:commitment_progress", "commitment", "get", STAFF_ONLY),
    (
        "memoranda:evidence",
        "evidence",
        "get",
        [LOGIN, OK, GONE, GONE, OK, OK, OK, OK],
    ),
    (
        "memoranda:pdf",
        "in_force",
        "post",
        [LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT],
    ),
    (
        "memoranda:pdf",
        "draft",
        "post",
        [LOGIN, GONE, GONE, GONE, REDIRECT, REDIRECT, REDIRECT, REDIRECT],
    ),
]
PARAMS = [
    pytest.param(name, key, method, role, expected[i], id=f"{name}-{key}-{role}")
    for name, key, method, expected in CASES
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def as_role(client, make_user, world):
    def login(role):
        if role == "anonymous":
            return client
        user = world["owner"] if role == "owner" else None
        if role == "stranger":
            user = make_user("ngo_leader")
        if user is None:
            user = make_user(role)
        client.force_login(user)
        return client

    return login


def _url(name, key, world):
    if key is None:
        return reverse(name)
    if name == "memoranda:pdf":
        return reverse(name, args=[world[key].pk, "kk"])
    return reverse(name, args=[world[key].pk])


@pytest.mark.parametrize(("name", "key", "method", "role", "expected"), PARAMS)
def test_every_url_answers_each_role_with_the_exact_status(
    as_role, world, name, key, method, role, expected
):
    # given a user of the role
    client = as_role(role)
    # when they open the URL
    response = getattr(client, method)(_url(name, key, world))
    # then the status is exactly what their role allows
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    elif expected == REDIRECT:
        assert response.status_code == 302
        assert "/documents/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    "role", ["anonymous", "owner", "expert", "fund_officer", "official"]
)
def test_denied_writes_change_nothing(as_role, world, role):
    # given a memorandum with a planned commitment, and a user who may not write
    client = as_role(role)
    memorandum, commitment = world["in_force"], world["commitment"]
    notes_before = CommitmentNote.objects.count()
    # when they post an edit and a progress report
    client.post(
        reverse("memoranda:update", args=[memorandum.pk]),
        {"title_kk": "Өзгертілген", "status": "terminated"},
    )
    client.post(
        reverse("memoranda:commitment_progress", args=[commitment.pk]),
        {"status": "done", "note": "орындалды"},
    )
    client.post(
        reverse("memoranda:commitment_create", args=[memorandum.pk]),
        {"text_kk": "x", "text_ru": "x", "due_on": "2030-01-01"},
    )
    # then nothing changed
    memorandum.refresh_from_db()
    commitment.refresh_from_db()
    assert memorandum.status == Memorandum.Status.IN_FORCE
    assert memorandum.title_kk != "Өзгертілген"
    assert commitment.status == Commitment.Status.PLANNED
    assert CommitmentNote.objects.count() == notes_before
    assert memorandum.commitments.count() == 1


def test_public_list_shows_memoranda_in_force_but_not_drafts_or_lapsed(client, world):
    # given an in-force, a draft and a lapsed memorandum
    # when a visitor opens the list
    response = client.get(reverse("memoranda:list"))
    # then only the one in force is listed
    listed = {m.pk for m in response.context["page_obj"]}
    assert listed == {world["in_force"].pk}


def test_official_list_shows_every_memorandum(client, make_user, world):
    # given an akimat official
    client.force_login(make_user("official"))
    # when they open the list
    response = client.get(reverse("memoranda:list"))
    # then drafts and lapsed memoranda are there too
    listed = {m.pk for m in response.context["page_obj"]}
    assert listed == {world["in_force"].pk, world["draft"].pk, world["lapsed"].pk}
