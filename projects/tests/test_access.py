"""Every URL of the projects app × every role, with the exact status, and proof
that denied requests change nothing."""

import pytest
from django.urls import reverse

from members.tests.factories import OrganisationFactory, UserFactory
from projects.models import Application, Attachment, Call
from projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    complete_draft,
    leader_of,
    pdf_upload,
)

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
def world():
    organisation = OrganisationFactory()
    owner = leader_of(organisation)
    stranger = leader_of(OrganisationFactory())
    call = CallFactory()
    draft = complete_draft(call=call, organisation=organisation, created_by=owner)
    submitted = ApplicationFactory(
        call=call, organisation=organisation, created_by=owner, submitted=True
    )
    attachment = Attachment(
        application=draft,
        original_name="charter.pdf",
        content_type="application/pdf",
        size=10,
    )
    attachment.file.save("charter.pdf", pdf_upload(), save=True)
    users = {
        "anonymous": None,
        "owner": owner,
        "stranger": stranger,
        "expert": UserFactory(role="expert"),
        "staff": UserFactory(role="staff"),
        "fund_officer": UserFactory(role="fund_officer"),
        "official": UserFactory(role="official"),
        "admin": UserFactory(role="admin"),
    }
    return {
        "call": call,
        "draft": draft,
        "submitted": submitted,
        "attachment": attachment,
        "users": users,
    }


def _row(*statuses):
    return dict(zip(ROLES, statuses, strict=True))


# name, args builder, method, expected status per role
GETS = [
    ("call_list", lambda w: [], _row(200, 200, 200, 200, 200, 200, 200, 200)),
    (
        "call_detail",
        lambda w: [w["call"].pk],
        _row(200, 200, 200, 200, 200, 200, 200, 200),
    ),
    ("call_manage_list", lambda w: [], _row(302, 403, 403, 403, 200, 403, 403, 200)),
    ("call_create", lambda w: [], _row(302, 403, 403, 403, 200, 403, 403, 200)),
    (
        "call_edit",
        lambda w: [w["call"].pk],
        _row(302, 403, 403, 403, 200, 403, 403, 200),
    ),
    ("my_applications", lambda w: [], _row(302, 200, 200, 403, 403, 403, 403, 403)),
    (
        "application_detail",
        lambda w: [w["draft"].pk],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    (
        "section_edit",
        lambda w: [w["draft"].pk, "general"],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    (
        "section_edit",
        lambda w: [w["draft"].pk, "budget"],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    (
        "section_edit",
        lambda w: [w["draft"].pk, "attachments"],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    (
        "section_edit",
        lambda w: [w["draft"].pk, "organisation"],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    (
        "attachment_download",
        lambda w: [w["attachment"].pk],
        _row(302, 200, 404, 404, 200, 404, 404, 200),
    ),
    ("screening_list", lambda w: [], _row(302, 403, 403, 403, 200, 403, 403, 200)),
    (
        "screening_export",
        lambda w: ["csv"],
        _row(302, 403, 403, 403, 200, 403, 403, 200),
    ),
    (
        "screening_export",
        lambda w: ["xlsx"],
        _row(302, 403, 403, 403, 200, 403, 403, 200),
    ),
    (
        "screen",
        lambda w: [w["submitted"].pk],
        _row(302, 403, 403, 403, 200, 403, 403, 200),
    ),
]


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "expected"), GETS)
def test_every_page_answers_each_role_with_the_exact_status(
    client, world, role, name, args, expected
):
    # given a user of the role
    c = _client_for(client, world["users"][role])
    # when the page is requested
    response = c.get(reverse(f"projects:{name}", args=args(world)))
    # then the status is the expected one
    assert response.status_code == expected[role]


def _state(world):
    draft = Application.objects.get(pk=world["draft"].pk)
    submitted = Application.objects.get(pk=world["submitted"].pk)
    return (
        Application.objects.count(),
        Attachment.objects.count(),
        draft.status,
        draft.version,
        draft.problem,
        submitted.status,
        Call.objects.get(pk=world["call"].pk).status,
    )


POSTS = [
    (
        "apply",
        lambda w: [w["call"].pk],
        lambda w: {"organisation": w["draft"].organisation_id},
        _row(302, 302, 302, 403, 403, 403, 403, 403),
    ),
    (
        "call_status",
        lambda w: [w["call"].pk],
        lambda w: {"status": "closed"},
        _row(302, 403, 403, 403, 302, 403, 403, 302),
    ),
    (
        "call_delete",
        lambda w: [w["call"].pk],
        lambda w: {},
        _row(302, 403, 403, 403, 302, 403, 403, 302),
    ),
    (
        "section_edit",
        lambda w: [w["draft"].pk, "problem"],
        lambda w: {"version": w["draft"].version, "problem": "changed"},
        _row(302, 302, 404, 404, 403, 404, 404, 403),
    ),
    (
        "attachment_upload",
        lambda w: [w["draft"].pk],
        lambda w: {"file": pdf_upload()},
        _row(302, 302, 404, 404, 404, 404, 404, 404),
    ),
    (
        "attachment_delete",
        lambda w: [w["attachment"].pk],
        lambda w: {},
        _row(302, 302, 404, 404, 404, 404, 404, 404),
    ),
    (
        "submit",
        lambda w: [w["draft"].pk],
        lambda w: {},
        _row(302, 302, 404, 404, 404, 404, 404, 404),
    ),
    (
        "withdraw",
        lambda w: [w["submitted"].pk],
        lambda w: {},
        _row(302, 302, 404, 404, 404, 404, 404, 404),
    ),
    (
        "pdf",
        lambda w: [w["submitted"].pk],
        lambda w: {"language": "ru"},
        _row(302, 302, 404, 404, 302, 404, 404, 302),
    ),
    (
        "screen_admit",
        lambda w: [w["submitted"].pk],
        lambda w: {},
        _row(302, 403, 403, 403, 302, 403, 403, 302),
    ),
    (
        "screen_reject",
        lambda w: [w["submitted"].pk],
        lambda w: {"reason": "Out of scope"},
        _row(302, 403, 403, 403, 302, 403, 403, 302),
    ),
    (
        "screen_return",
        lambda w: [w["submitted"].pk],
        lambda w: {"section_budget": "Too costly"},
        _row(302, 403, 403, 403, 302, 403, 403, 302),
    ),
]


# Who actually changes something with each action (the stranger posting another
# organisation's id to "apply" is turned away with a message; a PDF changes no data).
CHANGERS = {
    "apply": {"owner"},
    "call_status": {"staff", "admin"},
    "section_edit": {"owner"},
    "attachment_upload": {"owner"},
    "attachment_delete": {"owner"},
    "submit": {"owner"},
    "withdraw": {"owner"},
    "screen_admit": {"staff", "admin"},
    "screen_reject": {"staff", "admin"},
    "screen_return": {"staff", "admin"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "args", "data", "expected"), POSTS)
def test_every_action_answers_each_role_and_denied_ones_change_nothing(
    client, world, role, name, args, data, expected
):
    # given a user of the role and the state before
    c = _client_for(client, world["users"][role])
    before = _state(world)
    # when the action is posted
    response = c.post(reverse(f"projects:{name}", args=args(world)), data(world))
    # then the status is exact; only allowed requests change anything
    assert response.status_code == expected[role]
    if role in CHANGERS.get(name, ()):
        assert _state(world) != before
    else:
        assert _state(world) == before


def test_leader_gets_404_for_another_organisations_application_by_id(client, world):
    # given a leader of another organisation
    client.force_login(world["users"]["stranger"])
    # when they open the owner's application by its id
    response = client.get(
        reverse("projects:application_detail", args=[world["submitted"].pk])
    )
    # then it does not exist for them
    assert response.status_code == 404
