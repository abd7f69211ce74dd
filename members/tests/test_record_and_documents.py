"""Staff edit an organisation's whole record (with a history of changes) and the
organisation's private documents: who may upload, who may download, who sees them."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members import services
from members.models import Organisation, OrganisationChange, OrganisationDocument
from members.tests.factories import (
    AffiliationFactory,
    DistrictFactory,
    FieldOfActivityFactory,
    OrganisationFactory,
    UserFactory,
    valid_bin,
)

pytestmark = pytest.mark.django_db

ROLES = ["owner", "stranger", "expert", "staff", "fund_officer", "official", "admin"]
WHO = ["anonymous", *ROLES]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="charter.pdf", content=PDF):
    return SimpleUploadedFile(name, content, "application/pdf")


def xlsx(name="report.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(["Есеп", 2026])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), "application/octet-stream")


@pytest.fixture
def world():
    owner = UserFactory(role="ngo_leader")
    organisation = OrganisationFactory(phone="+7 7242 55-66-77")
    AffiliationFactory(user=owner, organisation=organisation)
    document = OrganisationDocument.objects.create(
        organisation=organisation,
        title="Жарғы",
        file=pdf(),
        content_type="application/pdf",
        uploaded_by=owner,
    )
    return {
        "owner": owner,
        "organisation": organisation,
        "document": document,
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


def _state(world):
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    return (
        organisation.name_kk,
        organisation.bin,
        organisation.phone,
        OrganisationChange.objects.count(),
        OrganisationDocument.objects.count(),
    )


# --- the service ------------------------------------------------------------------


def test_staff_change_of_bin_and_names_is_saved_at_once_and_logged():
    # given an organisation and a staff member
    organisation = OrganisationFactory(name_kk="«Үміт»", phone="1")
    old_bin = organisation.bin
    staff = UserFactory(role="staff")
    new_bin = valid_bin(4242)
    # when staff change the BIN, the Kazakh name and the phone
    services.organisation_update_by_staff(
        organisation=organisation,
        actor=staff,
        data={"bin": new_bin, "name_kk": "«Жаңа Үміт»", "phone": "1"},
    )
    # then the record has the new values and one history row says who, before, after
    organisation.refresh_from_db()
    assert (organisation.bin, organisation.name_kk) == (new_bin, "«Жаңа Үміт»")
    change = OrganisationChange.objects.get(organisation=organisation)
    assert change.actor == staff
    assert change.created_at is not None
    assert change.changes == {
        "name_kk": ["«Үміт»", "«Жаңа Үміт»"],
        "bin": [old_bin, new_bin],
    }


def test_district_and_fields_are_logged_by_name_in_both_languages():
    # given an organisation in one district with no fields of activity
    organisation = OrganisationFactory(
        district=DistrictFactory(code="aral", name_kk="Арал", name_ru="Аральск")
    )
    shieli = DistrictFactory(code="shieli", name_kk="Шиелі", name_ru="Шиели")
    youth = FieldOfActivityFactory(code="youth", name_kk="Жастар", name_ru="Молодёжь")
    # when staff move it and give it a field
    services.organisation_update_by_staff(
        organisation=organisation,
        actor=UserFactory(role="staff"),
        data={"district": shieli, "fields_of_activity": [youth]},
    )
    # then the history keeps both names, shown in the page's language
    change = OrganisationChange.objects.get()
    assert change.changes["district"] == [
        {"kk": "Арал", "ru": "Аральск"},
        {"kk": "Шиелі", "ru": "Шиели"},
    ]
    for language, youth_name in (
        ("ru", "Молодёжь"),
        ("kk", "Жастар"),
        ("en", "Jastar"),
    ):
        with translation.override(language):
            rows = [(before, after) for _label, before, after in change.rows()]
        assert ("", youth_name) in rows


@pytest.mark.parametrize(
    ("bin_value", "code"),
    [("123456789012", "bin_checksum"), ("12345", "bin_format"), ("DUP", None)],
)
def test_bad_or_taken_bin_is_refused_on_the_field_and_nothing_is_saved(bin_value, code):
    # given two organisations
    other = OrganisationFactory()
    organisation = OrganisationFactory(name_kk="«Үміт»")
    before = organisation.bin
    # when staff give the second a bad BIN, or the first one's, with a new name
    with pytest.raises(ValidationError) as exc:
        services.organisation_update_by_staff(
            organisation=organisation,
            actor=UserFactory(role="staff"),
            data={
                "bin": other.bin if bin_value == "DUP" else bin_value,
                "name_kk": "Басқа",
            },
        )
    # then the error is on the BIN and neither the name nor the history changed
    assert "bin" in exc.value.message_dict
    if code:
        assert exc.value.error_dict["bin"][0].code == code
    organisation.refresh_from_db()
    assert (organisation.bin, organisation.name_kk) == (before, "«Үміт»")
    assert not OrganisationChange.objects.exists()


def test_saving_the_same_values_writes_no_history():
    organisation = OrganisationFactory(phone="1")
    services.organisation_update_by_staff(
        organisation=organisation, actor=UserFactory(role="staff"), data={"phone": "1"}
    )
    assert not OrganisationChange.objects.exists()


def test_document_of_another_type_is_refused_by_its_content_not_its_name():
    # given an executable renamed to .pdf
    organisation = OrganisationFactory()
    fake = SimpleUploadedFile("charter.pdf", b"MZ\x90\x00" + b"\x00" * 200, "app/pdf")
    # when it is uploaded, then the file field carries the error and nothing is stored
    with pytest.raises(ValidationError) as exc:
        services.organisation_document_add(
            organisation=organisation, actor=UserFactory(), title="Жарғы", file=fake
        )
    assert exc.value.error_dict["file"][0].code == "bad_type"
    assert not OrganisationDocument.objects.exists()


def test_document_over_the_limit_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 100
    with pytest.raises(ValidationError) as exc:
        services.organisation_document_add(
            organisation=OrganisationFactory(),
            actor=UserFactory(),
            title="Үлкен",
            file=pdf(content=PDF + b"0" * 200),
        )
    assert exc.value.error_dict["file"][0].code == "too_large"
    assert not OrganisationDocument.objects.exists()


# --- access: every new URL as every role --------------------------------------------

# expected status for: anonymous, owner, stranger, expert, staff, fund, official, admin
STAFF_ONLY = [302, 403, 403, 403, 200, 403, 403, 200]
UPLOADERS = [302, 200, 404, 403, 200, 403, 403, 200]
READERS = [302, 200, 404, 403, 200, 403, 200, 200]

GET_MATRIX = [
    (
        lambda w: reverse(
            "members:organisation_staff_edit", args=[w["organisation"].slug]
        ),
        STAFF_ONLY,
    ),
    (
        lambda w: reverse("members:document_upload", args=[w["organisation"].slug]),
        UPLOADERS,
    ),
    (
        lambda w: reverse("members:document_download", args=[w["document"].pk]),
        READERS,
    ),
]


@pytest.mark.parametrize(("url", "expected"), GET_MATRIX)
@pytest.mark.parametrize("who", WHO)
def test_every_new_page_answers_each_role_with_the_exact_status(
    client, world, url, expected, who
):
    # given a user of that role (or a visitor)
    c = _client(client, world, who)
    # when they open the page
    response = c.get(url(world))
    # then the status is the one in the access matrix, and a login is asked for
    assert response.status_code == expected[WHO.index(who)]
    if who == "anonymous":
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize("who", WHO)
def test_denied_record_edits_and_uploads_change_nothing(client, world, who):
    # given the state before
    before = _state(world)
    c = _client(client, world, who)
    slug = world["organisation"].slug
    # when they post a new record and a document
    edit = c.post(
        reverse("members:organisation_staff_edit", args=[slug]),
        {
            "name_kk": "Басып алынған",
            "name_ru": "Захвачено",
            "kind": "ngo",
            "legal_form": "foundation",
            "bin": valid_bin(999),
            "phone": "0",
        },
    )
    upload = c.post(
        reverse("members:document_upload", args=[slug]),
        {"title": "Жаңа", "file": pdf()},
    )
    # then each gets its status and, unless allowed, nothing changed
    index = WHO.index(who)
    assert edit.status_code == {200: 302}.get(STAFF_ONLY[index], STAFF_ONLY[index])
    assert upload.status_code == {200: 302}.get(UPLOADERS[index], UPLOADERS[index])
    after = _state(world)
    if STAFF_ONLY[index] != 200:
        assert after[:4] == before[:4]
    if UPLOADERS[index] != 200:
        assert after[4] == before[4]


# --- pages ---------------------------------------------------------------------


def test_staff_edit_the_record_through_the_form_and_see_the_history(client, world):
    # given staff on the edit page of an organisation
    organisation = world["organisation"]
    staff = world["users"]["staff"]
    client.force_login(staff)
    new_bin = valid_bin(5151)
    # when they change the BIN, the Russian name and the phone
    response = client.post(
        reverse("members:organisation_staff_edit", args=[organisation.slug]),
        {
            "name_kk": organisation.name_kk,
            "name_ru": "ОО «Новое имя»",
            "kind": "ngo",
            "legal_form": organisation.legal_form,
            "bin": new_bin,
            "district": organisation.district_id,
            "phone": "+7 700 000 00 00",
        },
    )
    # then the record changed at once and the staff view shows who changed what
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.bin, organisation.name_ru) == (new_bin, "ОО «Новое имя»")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert 'data-testid="record-history"' in page
    assert "ОО «Новое имя»" in page
    assert "+7 7242 55-66-77" in page  # the value before
    assert str(staff) in page
    # and neither the leader nor the public see that history
    client.force_login(world["owner"])
    assert (
        'data-testid="record-history"'
        not in client.get(organisation.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("bin_value", "message"),
    [("123456789012", "check digit"), ("DUP", "already registered")],
)
def test_bad_bin_in_the_staff_form_shows_on_the_field_and_saves_nothing(
    client, world, bin_value, message
):
    # given another organisation with its BIN
    other = OrganisationFactory()
    organisation = world["organisation"]
    before = _state(world)
    client.force_login(world["users"]["staff"])
    # when staff submit a bad or taken BIN with a new address
    response = client.post(
        reverse("members:organisation_staff_edit", args=[organisation.slug]),
        {
            "name_kk": "Жаңа атау",
            "name_ru": organisation.name_ru,
            "kind": "ngo",
            "legal_form": organisation.legal_form,
            "bin": other.bin if bin_value == "DUP" else bin_value,
            "address": "Абай көшесі, 5",
        },
    )
    # then the message sits under the BIN, the rest of the input stays, nothing saved
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'id="error_1_id_bin"' in page
    assert "Абай көшесі, 5" in page
    assert _state(world) == before


@pytest.mark.parametrize(
    ("who", "upload"), [("owner", pdf), ("staff", xlsx), ("admin", pdf)]
)
def test_leaders_and_staff_upload_and_the_document_is_stored_privately(
    client, world, who, upload
):
    # given a leader of the organisation or staff
    user = world["users"][who]
    client.force_login(user)
    slug = world["organisation"].slug
    # when they upload a document
    response = client.post(
        reverse("members:document_upload", args=[slug]),
        {"title": "Жылдық есеп", "file": upload()},
    )
    # then it is stored with who uploaded it, and the profile links the checking view
    assert response.status_code == 302
    document = OrganisationDocument.objects.get(title="Жылдық есеп")
    assert document.uploaded_by == user
    assert document.uploaded_at is not None
    assert document.file.name.startswith("private/organisations/")
    page = client.get(world["organisation"].get_absolute_url()).content.decode()
    assert reverse("members:document_download", args=[document.pk]) in page
    assert document.file.name not in page  # never a media URL


def test_non_document_upload_shows_a_message_on_the_field(client, world):
    client.force_login(world["owner"])
    fake = SimpleUploadedFile("charter.pdf", b"just some text", "application/pdf")
    response = client.post(
        reverse("members:document_upload", args=[world["organisation"].slug]),
        {"title": "Жарғы 2", "file": fake},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Upload a PDF, an image" in page
    assert 'value="Жарғы 2"' in page  # the title is kept
    assert not OrganisationDocument.objects.filter(title="Жарғы 2").exists()


@pytest.mark.parametrize("who", ["owner", "staff", "official", "admin"])
def test_those_who_may_download_get_the_file_as_an_attachment(client, world, who):
    response = _client(client, world, who).get(
        reverse("members:document_download", args=[world["document"].pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", WHO)
def test_documents_show_on_the_profile_only_for_those_who_may_open_them(
    client, world, who
):
    page = (
        _client(client, world, who)
        .get(world["organisation"].get_absolute_url())
        .content.decode()
    )
    may_see = who in {"owner", "staff", "official", "admin"}
    assert ("Жарғы" in page) is may_see
    assert ('data-testid="documents"' in page) is may_see


def test_unknown_document_is_404_even_for_staff(client, world):
    client.force_login(world["users"]["staff"])
    url = reverse("members:document_download", args=[world["document"].pk + 99])
    assert client.get(url).status_code == 404


def _profile_queries(client, organisation, n):
    staff = UserFactory(role="staff")
    for i in range(n):
        OrganisationDocument.objects.create(
            organisation=organisation,
            title=f"Құжат {i}",
            file=pdf(),
            uploaded_by=UserFactory(),
        )
        services.organisation_update_by_staff(
            organisation=organisation,
            actor=UserFactory(role="staff"),
            data={"phone": f"+7 700 {i:03d}"},
        )
    client.force_login(staff)
    url = organisation.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_staff_profile_runs_in_a_fixed_number_of_queries(client):
    # given two organisations with 2 and 20 documents and changes
    small = _profile_queries(client, OrganisationFactory(), 2)
    large = _profile_queries(client, OrganisationFactory(), 20)
    # then the profile costs the same whatever the number
    assert small == large


def test_kazakh_staff_profile_shows_kazakh_headings(client, world):
    client.force_login(world["users"]["staff"])
    page = client.get(f"/kk/members/o/{world['organisation'].slug}/").content.decode()
    assert "Құжаттар" in page
    assert "Жазбаның өзгерістері" in page
