import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import (
    Affiliation,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChangeRequest,
)
from members.tests.factories import (
    AffiliationFactory,
    ChangeRequestFactory,
    DistrictFactory,
    FieldOfActivityFactory,
    MembershipApplicationFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    UserFactory,
    valid_bin,
)

pytestmark = pytest.mark.django_db

ROLES = ["owner", "stranger", "expert", "staff", "fund_officer", "official", "admin"]
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def world():
    owner = UserFactory(role="ngo_leader")
    organisation = OrganisationFactory(
        phone="+7 7242 55-66-77",
        email="secret@umit.kz",
        logo=SimpleUploadedFile("logo.png", PNG, "image/png"),
    )
    AffiliationFactory(user=owner, organisation=organisation)
    unpublished = OrganisationFactory(is_published=False)
    pending = AffiliationFactory(organisation=unpublished, pending=True, user=owner)
    return {
        "owner": owner,
        "organisation": organisation,
        "unpublished": unpublished,
        "pending": pending,
        "application": MembershipApplicationFactory(),
        "change": ChangeRequestFactory(),
        "users": {
            "owner": owner,
            "stranger": UserFactory(role="ngo_leader"),
            **{r: UserFactory(role=r) for r in ROLES[2:]},
        },
    }


def _client(client, world, who):
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


# expected status for: anonymous, owner, stranger, expert, staff, fund, official, admin
LEADER_ONLY = [302, 200, 200, 403, 403, 403, 403, 403]
OWNER_ONLY = [302, 200, 404, 403, 403, 403, 403, 403]
STAFF_ONLY = [302, 403, 403, 403, 200, 403, 403, 200]
PUBLIC = [200] * 8
UNPUBLISHED = [404, 200, 404, 404, 200, 404, 404, 200]

GET_MATRIX = [
    (lambda w: reverse("members:directory"), PUBLIC),
    (lambda w: w["organisation"].get_absolute_url(), PUBLIC),
    (
        lambda w: reverse("members:organisation_logo", args=[w["organisation"].slug]),
        PUBLIC,
    ),
    (lambda w: w["unpublished"].get_absolute_url(), UNPUBLISHED),
    (lambda w: reverse("members:start"), LEADER_ONLY),
    (lambda w: reverse("members:organisation_create"), LEADER_ONLY),
    (lambda w: reverse("members:organisation_join"), LEADER_ONLY),
    (
        lambda w: reverse("members:organisation_edit", args=[w["organisation"].slug]),
        OWNER_ONLY,
    ),
    (
        lambda w: reverse("members:legal_change", args=[w["organisation"].slug]),
        OWNER_ONLY,
    ),
    (
        lambda w: reverse("members:membership_apply", args=[w["organisation"].slug]),
        OWNER_ONLY,
    ),
    (lambda w: reverse("members:queue", args=["affiliations"]), STAFF_ONLY),
    (lambda w: reverse("members:queue", args=["applications"]), STAFF_ONLY),
    (lambda w: reverse("members:queue", args=["changes"]), STAFF_ONLY),
    (lambda w: reverse("members:import"), STAFF_ONLY),
]
WHO = ["anonymous", *ROLES]


@pytest.mark.parametrize(("url", "expected"), GET_MATRIX)
@pytest.mark.parametrize("who", WHO)
def test_every_page_answers_each_role_with_the_exact_status(
    client, world, url, expected, who
):
    # given a user of that role (or a visitor)
    c = _client(client, world, who)
    # when they open the page
    response = c.get(url(world))
    # then the status is the one in the access matrix
    assert response.status_code == expected[WHO.index(who)]


POST_MATRIX = [
    (
        "affiliation",
        lambda w: reverse("members:decide", args=["affiliations", w["pending"].pk]),
    ),
    (
        "application",
        lambda w: reverse("members:decide", args=["applications", w["application"].pk]),
    ),
    ("change", lambda w: reverse("members:decide", args=["changes", w["change"].pk])),
]


def _state(world):
    return (
        Affiliation.objects.get(pk=world["pending"].pk).status,
        MembershipApplication.objects.get(pk=world["application"].pk).status,
        OrganisationChangeRequest.objects.get(pk=world["change"].pk).status,
        MembershipPeriod.objects.count(),
        Organisation.objects.count(),
        Organisation.objects.get(pk=world["organisation"].pk).name_kk,
    )


@pytest.mark.parametrize(("name", "url"), POST_MATRIX)
@pytest.mark.parametrize(
    "who", ["anonymous", "owner", "stranger", "expert", "fund_officer", "official"]
)
def test_only_staff_can_decide_and_denied_requests_change_nothing(
    client, world, name, url, who
):
    before = _state(world)
    response = _client(client, world, who).post(url(world), {"decision": "approve"})
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert "/accounts/login/" in response.url
    assert _state(world) == before


@pytest.mark.parametrize(
    "who", ["anonymous", "owner", "stranger", "expert", "fund_officer", "official"]
)
def test_denied_membership_actions_and_imports_change_nothing(client, world, who):
    MembershipPeriodFactory(
        organisation=world["organisation"], started_on=datetime.date(2010, 1, 1)
    )
    before = _state(world)
    c = _client(client, world, who)
    slug = world["organisation"].slug
    r1 = c.post(
        reverse("members:membership_action", args=[slug]),
        {"action": "end", "on": "2020-01-01"},
    )
    r2 = c.post(reverse("members:import_confirm"))
    expected = 302 if who == "anonymous" else 403
    assert (r1.status_code, r2.status_code) == (expected, expected)
    assert _state(world) == before
    assert (
        MembershipPeriod.objects.get(organisation=world["organisation"]).ended_on
        is None
    )


@pytest.mark.parametrize("who", ["stranger", "expert", "staff"])
def test_others_cannot_edit_or_apply_for_someone_elses_organisation(client, world, who):
    organisation = world["organisation"]
    c = _client(client, world, who)
    c.post(
        reverse("members:organisation_edit", args=[organisation.slug]),
        {"district": organisation.district_id, "phone": "1"},
    )
    c.post(
        reverse("members:membership_apply", args=[organisation.slug]),
        {"statement": "x"},
    )
    c.post(
        reverse("members:legal_change", args=[organisation.slug]),
        {"name_kk": "X", "name_ru": "X", "legal_form": "foundation", "bin": ""},
    )
    organisation.refresh_from_db()
    assert organisation.phone == "+7 7242 55-66-77"
    assert not organisation.membership_applications.exists()
    assert not organisation.change_requests.exists()


def test_staff_pages_answer_get_on_post_only_urls_with_405(client, world):
    c = _client(client, world, "staff")
    assert c.get(reverse("members:import_confirm")).status_code == 405
    assert (
        c.get(
            reverse("members:decide", args=["affiliations", world["pending"].pk])
        ).status_code
        == 405
    )
    assert c.get(reverse("members:queue", args=["nonsense"])).status_code == 404


# --- what each audience sees ----------------------------------------------------


def test_public_profile_hides_private_contacts_staff_and_owner_see_them(client, world):
    url = world["organisation"].get_absolute_url()
    assert "secret@umit.kz" not in client.get(url).content.decode()
    client.force_login(world["users"]["stranger"])
    assert "secret@umit.kz" not in client.get(url).content.decode()
    client.force_login(world["owner"])
    assert "secret@umit.kz" in client.get(url).content.decode()
    client.force_login(world["users"]["staff"])
    page = client.get(url).content.decode()
    assert "secret@umit.kz" in page
    assert 'data-testid="membership-history"' in page
    assert world["owner"].email in page  # the affiliations


@pytest.fixture
def directory_data():
    aral = DistrictFactory(code="aral")
    ecology = FieldOfActivityFactory(code="aral-ecology")
    a = OrganisationFactory(
        name_kk="«Арал теңізі» бірлестігі", name_ru="ОО «Аральское море»", district=aral
    )
    a.fields_of_activity.add(ecology)
    MembershipPeriodFactory(organisation=a)
    b = OrganisationFactory(name_kk="«Үміт» бірлестігі", name_ru="ОО «Умит»")
    hidden = OrganisationFactory(
        name_kk="«Жасырын»", name_ru="ОО «Скрытое»", is_published=False
    )
    partner = OrganisationFactory(name_kk="Әкімдік", name_ru="Акимат", kind="akimat")
    return {
        "a": a,
        "b": b,
        "hidden": hidden,
        "partner": partner,
        "aral": aral,
        "ecology": ecology,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"a", "b"}),
        ({"q": "теңізі"}, {"a"}),
        ({"q": "умит"}, {"b"}),
        ({"q": "BIN_B"}, {"b"}),
        ({"member": "yes"}, {"a"}),
        ({"member": "no"}, {"b"}),
        ({"district": "ARAL"}, {"a"}),
        ({"field": "ECOLOGY"}, {"a"}),
    ],
)
def test_directory_search_and_filters(client, directory_data, params, expected):
    d = directory_data
    params = {
        k: {"BIN_B": d["b"].bin, "ARAL": d["aral"].pk, "ECOLOGY": d["ecology"].pk}.get(
            v, v
        )
        for k, v in params.items()
    }
    response = client.get(reverse("members:directory"), params)
    shown = {
        key
        for key in ("a", "b", "hidden", "partner")
        if d[key].get_absolute_url() in response.content.decode()
    }
    assert shown == expected


def _directory_queries(client, n):
    fields = [FieldOfActivityFactory() for _ in range(3)]
    for i in range(n):
        org = OrganisationFactory()
        org.fields_of_activity.set(fields[: 1 + i % 3])
        if i % 2:
            MembershipPeriodFactory(organisation=org)
    client.get(reverse("members:directory"))  # warm up: first visit writes the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:directory"), {"page": 1})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_directory_runs_in_a_fixed_number_of_queries(
    client, world, who, django_assert_max_num_queries
):
    c = _client(client, world, who)
    small = _directory_queries(c, 5)
    Organisation.objects.filter(kind="ngo").delete()
    large = _directory_queries(c, 50)
    assert small == large
    with django_assert_max_num_queries(12):
        c.get(reverse("members:directory"), {"member": "yes", "q": "Умит"})


def test_kazakh_directory_page_shows_kazakh_text(client):
    response = client.get("/kk/members/")
    assert "ҮЕҰ анықтамалығы" in response.content.decode()


# --- forms and bad input --------------------------------------------------------


def _create_payload(**overrides):
    data = {
        "name_kk": "«Жарық» қоғамдық бірлестігі",
        "name_ru": "ОО «Жарык»",
        "legal_form": "public_association",
        "bin": valid_bin(31337),
        "district": DistrictFactory().pk,
        "address": "Абай көшесі, 5",
    }
    data.update(overrides)
    return data


def test_leader_registers_an_organisation_through_the_form(client):
    leader = UserFactory()
    client.force_login(leader)
    response = client.post(reverse("members:organisation_create"), _create_payload())
    organisation = Organisation.objects.get(name_ru="ОО «Жарык»")
    assert response.status_code == 302
    assert response.url == organisation.get_absolute_url()
    assert organisation.affiliations.get().user == leader


@pytest.mark.parametrize(
    ("bin_value", "message"),
    [
        ("123456789012", "check digit"),
        ("12345", "12 digits"),
        ("DUP", "already registered"),
    ],
)
def test_bad_bin_shows_a_message_on_the_field_keeps_the_rest_and_saves_nothing(
    client, bin_value, message
):
    existing = OrganisationFactory()
    client.force_login(UserFactory())
    payload = _create_payload(bin=existing.bin if bin_value == "DUP" else bin_value)
    response = client.post(reverse("members:organisation_create"), payload)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'id="error_1_id_bin"' in page  # crispy puts the error under the BIN field
    assert "Абай көшесі, 5" in page  # nothing else in the form is lost
    assert not Organisation.objects.filter(name_ru="ОО «Жарык»").exists()


def test_non_image_logo_is_refused_by_content(client):
    client.force_login(UserFactory())
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 definitely a pdf", "image/png")
    response = client.post(
        reverse("members:organisation_create"), {**_create_payload(), "logo": fake}
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(name_ru="ОО «Жарык»").exists()


def test_leader_profile_edit_saves_and_legal_change_waits_for_staff(client, world):
    organisation = world["organisation"]
    client.force_login(world["owner"])
    response = client.post(
        reverse("members:organisation_edit", args=[organisation.slug]),
        {
            "district": organisation.district_id,
            "phone": "+7 777 111 22 33",
            "website": "umit.kz",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse("members:legal_change", args=[organisation.slug]),
        {
            "name_kk": "Жаңа атау",
            "name_ru": organisation.name_ru,
            "legal_form": organisation.legal_form,
            "bin": organisation.bin,
        },
    )
    organisation.refresh_from_db()
    assert organisation.phone == "+7 777 111 22 33"
    assert organisation.website == "https://umit.kz"
    assert organisation.name_kk != "Жаңа атау"
    assert organisation.change_requests.get().name_kk == "Жаңа атау"


def test_staff_decline_without_reason_shows_the_message_and_changes_nothing(
    client, world
):
    client.force_login(world["users"]["staff"])
    url = reverse("members:decide", args=["applications", world["application"].pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    assert response.status_code == 400
    assert "Give a reason for declining." in response.content.decode()
    world["application"].refresh_from_db()
    assert world["application"].status == MembershipApplication.Status.APPLIED


def test_staff_approves_an_application_and_the_ngo_becomes_a_member(client, world):
    client.force_login(world["users"]["staff"])
    url = reverse("members:decide", args=["applications", world["application"].pk])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    assert (
        world["application"]
        .organisation.membership_periods.filter(ended_on=None)
        .exists()
    )


def test_staff_membership_action_with_a_bad_date_shows_the_error(client, world):
    MembershipPeriodFactory(
        organisation=world["organisation"], started_on=datetime.date(2010, 1, 1)
    )
    client.force_login(world["users"]["staff"])
    url = reverse("members:membership_action", args=[world["organisation"].slug])
    response = client.post(url, {"action": "suspend", "on": "2009-01-01"})
    assert response.status_code == 400
    assert "must be after" in response.content.decode()
    response = client.post(
        url, {"action": "suspend", "on": "2015-01-01", "note": "Dues"}
    )
    assert response.status_code == 302
    assert (
        world["organisation"].membership_periods.get(ended_on=None).status
        == "suspended"
    )


def test_leader_joins_an_existing_organisation(client, world):
    stranger = world["users"]["stranger"]
    client.force_login(stranger)
    response = client.post(
        reverse("members:organisation_join"), {"organisation": world["organisation"].pk}
    )
    assert response.status_code == 302
    assert stranger.affiliations.get().status == Affiliation.Status.PENDING


# --- import ---------------------------------------------------------------------


def _csv(text):
    return SimpleUploadedFile("ngos.csv", text.encode(), "text/csv")


def test_import_preview_lists_row_errors_and_confirm_imports_only_valid_rows(
    client, world
):
    DistrictFactory(code="aral", name_kk="Арал ауданы", name_ru="Аральский район")
    taken = world["organisation"].bin
    text = (
        "name_kk,name_ru,bin,district\n"
        f"«Бір»,ОО «Один»,{valid_bin(6001)},aral\n"
        "«Екі»,ОО «Два»,123456789012,aral\n"
        f"«Үш»,ОО «Три»,{taken},aral\n"
        f"«Төрт»,ОО «Четыре»,{valid_bin(6002)},Луна\n"
        f"«Бес»,ОО «Пять»,{valid_bin(6001)},aral\n"
    )
    client.force_login(world["users"]["staff"])
    before = Organisation.objects.count()
    response = client.post(reverse("members:import"), {"file": _csv(text)})
    page = response.content.decode()
    assert "is not valid" in page
    assert "already registered" in page
    assert "Unknown district: Луна" in page
    assert "appears twice in the file" in page
    assert Organisation.objects.count() == before  # the preview saves nothing
    response = client.post(reverse("members:import_confirm"))
    assert response.status_code == 302
    assert Organisation.objects.count() == before + 1
    assert Organisation.objects.filter(name_ru="ОО «Один»", is_published=True).exists()


def test_import_reads_xlsx(client, world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Атауы", "Название", "БСН", "registration_date"])
    sheet.append(["«Алты»", "ОО «Шесть»", valid_bin(6003), datetime.date(2005, 5, 5)])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile(
        "ngos.xlsx", buffer.getvalue(), "application/octet-stream"
    )
    client.force_login(world["users"]["staff"])
    client.post(reverse("members:import"), {"file": upload})
    client.post(reverse("members:import_confirm"))
    organisation = Organisation.objects.get(name_ru="ОО «Шесть»")
    assert organisation.registration_date == datetime.date(2005, 5, 5)


@pytest.mark.parametrize(
    "content", [b"%PDF-1.4 a pdf", b"PK\x03\x04broken zip", b"\xff\xfe\x00garbage\x00"]
)
def test_unreadable_import_file_gets_a_message_on_the_field(client, world, content):
    client.force_login(world["users"]["staff"])
    upload = SimpleUploadedFile("ngos.csv", content, "text/csv")
    response = client.post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()


# --- home panels -----------------------------------------------------------------


def test_leader_without_organisation_is_guided_to_create_or_join(client):
    client.force_login(UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert reverse("members:start") in page
    assert 'data-testid="my-organisations"' in page


def test_staff_home_shows_the_registry_desk_counts(client, world):
    client.force_login(world["users"]["staff"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="registry-desk"' in page
    assert reverse("members:queue", args=["changes"]) in page
