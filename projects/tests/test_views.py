import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from alliance_portal.models import DocumentJob
from members.tests.factories import OrganisationFactory, UserFactory
from projects import services
from projects.models import Application
from projects.services.duplicates import application_flag_duplicates
from projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    RequiredDocumentFactory,
    complete_draft,
    leader_of,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_draft():
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    draft = complete_draft(organisation=organisation, created_by=leader)
    return leader, draft


def test_autosave_with_htmx_answers_saved_at_and_the_new_version(client, leader_draft):
    # given a leader editing the problem section
    leader, draft = leader_draft
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "problem"])
    # when htmx autosaves it
    response = client.post(
        url, {"version": draft.version, "problem": "Жаңа мәтін"}, HTTP_HX_REQUEST="true"
    )
    # then the text is stored and the answer carries "saved at" and version 2
    draft.refresh_from_db()
    assert draft.problem == "Жаңа мәтін"
    body = response.content.decode()
    assert 'data-save-state="saved"' in body
    assert 'id="id_version" value="2"' in body


def test_stale_tab_gets_a_clear_message_and_its_text_back(client, leader_draft):
    # given the draft was saved from another tab (version 2)
    leader, draft = leader_draft
    services.application_save_section(
        application=draft,
        section="problem",
        version=1,
        actor=leader,
        fields={"problem": "other tab"},
    )
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "problem"])
    # when this tab saves with version 1
    response = client.post(url, {"version": 1, "problem": "МЕНІҢ МӘТІНІМ"})
    # then nothing is overwritten, the answer says why and shows the typed text
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-save-state="conflict"' in body
    assert "МЕНІҢ МӘТІНІМ" in body
    draft.refresh_from_db()
    assert draft.problem == "other tab"


def test_budget_section_saves_three_lines_and_shows_the_totals(client, leader_draft):
    # given a leader on the budget section
    leader, draft = leader_draft
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "budget"])
    rows = [
        ("staff", "Тренер", "ай", "3", "200000", "0"),
        ("events", "Семинар", "іс-шара", "2", "400000", "100000"),
        ("equipment", "Проектор", "дана", "1", "100000", "0"),
    ]
    data = {
        "version": draft.version,
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "100",
    }
    for i, (cat, item, unit, qty, cost, cof) in enumerate(rows):
        data.update(
            {
                f"rows-{i}-category": cat,
                f"rows-{i}-item": item,
                f"rows-{i}-unit": unit,
                f"rows-{i}-quantity": qty,
                f"rows-{i}-unit_cost": cost,
                f"rows-{i}-cofunding": cof,
            }
        )
    # when it is saved
    response = client.post(url, data)
    # then three lines exist with the grant parts computed, and totals are shown
    assert response.status_code == 302
    assert [line.grant_amount for line in draft.budget_lines.all()] == [
        Decimal("600000.00"),
        Decimal("700000.00"),
        Decimal("100000.00"),
    ]
    page = client.get(url).content.decode().replace("\xa0", " ")
    assert "1 400 000 ₸" in page


def test_invalid_row_shows_a_message_on_the_field_and_keeps_the_rows(
    client, leader_draft
):
    # given a leader on the activities section
    leader, draft = leader_draft
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "activities"])
    # when an activity ending before it starts is saved
    response = client.post(
        url,
        {
            "version": draft.version,
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-0-activity": "Семинар",
            "rows-0-start": "2026-05-01",
            "rows-0-end": "2026-04-01",
            "rows-0-responsible": "Әсел",
        },
    )
    # then the page shows the message and the old row is kept
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert draft.activities.count() == 1


def test_submit_with_problems_lists_them_all_with_links(client):
    # given an incomplete draft in a call requiring a document
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    call = CallFactory()
    RequiredDocumentFactory(call=call, name_kk="Жарғы", name_ru="Устав")
    draft = ApplicationFactory(call=call, organisation=organisation, title="")
    client.force_login(leader)
    # when the leader submits it
    response = client.post(reverse("projects:submit", args=[draft.pk]))
    # then every problem is listed with a link to its section
    assert response.status_code == 400
    body = response.content.decode()
    assert "Жарғы" in body
    assert reverse("projects:section_edit", args=[draft.pk, "budget"]) in body
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_upload_refuses_a_text_file_named_pdf_with_a_message(client, leader_draft):
    # given a leader on the attachments section
    leader, draft = leader_draft
    client.force_login(leader)
    # when a text file named .pdf is uploaded
    response = client.post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"file": pdf_upload(name="x.pdf", content=b"just text, not a pdf")},
    )
    # then it is refused with a message and nothing is stored
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert draft.attachments.count() == 0


def test_staff_sees_the_diff_after_resubmission(client):
    # given a returned and resubmitted application whose problem text changed
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    staff = UserFactory(role="staff")
    draft = complete_draft(organisation=organisation, created_by=leader)
    services.application_submit(application=draft, actor=leader)
    services.application_return(
        application=draft, actor=staff, section_comments={"problem": "Нақтылаңыз"}
    )
    draft.refresh_from_db()
    services.application_save_section(
        application=draft,
        section="problem",
        version=draft.version,
        actor=leader,
        fields={"problem": "Нақтыланған мәселе"},
    )
    services.application_submit(application=draft, actor=leader)
    client.force_login(staff)
    # when staff open the screening page
    body = client.get(reverse("projects:screen", args=[draft.pk])).content.decode()
    # then the changed field shows what was removed and added
    assert "data-diff" in body
    assert "+ Нақтыланған мәселе" in body
    assert "− Ауылдағы жастардың" in body


def test_returned_leader_sees_the_comment_and_only_the_section_is_editable(client):
    # given a returned application with a comment on the budget
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    draft = complete_draft(organisation=organisation, created_by=leader)
    services.application_submit(application=draft, actor=leader)
    services.application_return(
        application=draft,
        actor=UserFactory(role="staff"),
        section_comments={"budget": "Бюджетті азайтыңыз"},
    )
    client.force_login(leader)
    # when the leader opens the budget and the problem sections
    budget = client.get(reverse("projects:section_edit", args=[draft.pk, "budget"]))
    problem = client.post(
        reverse("projects:section_edit", args=[draft.pk, "problem"]),
        {"version": 99, "problem": "x"},
    )
    # then the comment shows on the budget, and the problem section refuses edits
    assert "Бюджетті азайтыңыз" in budget.content.decode()
    assert problem.status_code == 403


def test_screening_list_filters_and_exports(client):
    # given applications of two calls
    staff = UserFactory(role="staff")
    call = CallFactory()
    ApplicationFactory(call=call, submitted=True, title="Бірінші")
    ApplicationFactory(submitted=True, title="Екінші")
    ApplicationFactory(call=call, title="Жоба-жоба")  # a draft is never listed
    client.force_login(staff)
    url = reverse("projects:screening_list")
    # when filtered by the call, and exported
    page = client.get(url, {"call": call.pk}).content.decode()
    csv_response = client.get(
        reverse("projects:screening_export", args=["csv"]), {"call": call.pk}
    )
    xlsx_response = client.get(
        reverse("projects:screening_export", args=["xlsx"]), {"call": call.pk}
    )
    # then only the call's submitted application appears, in the page and both files
    assert "Бірінші" in page
    assert "Екінші" not in page
    assert "Жоба-жоба" not in page
    rows = list(
        csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode()))
    )
    assert len(rows) == 2
    assert rows[1][7] == "Бірінші"
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content))).active
    assert sheet.max_row == 2


@pytest.mark.parametrize("size", [3, 30])
def test_screening_list_query_count_is_constant(
    client, django_assert_max_num_queries, size
):
    # given many submitted applications
    staff = UserFactory(role="staff")
    ApplicationFactory.create_batch(size, submitted=True)
    client.force_login(staff)
    # when the list is opened, then the number of queries does not grow
    with django_assert_max_num_queries(14):
        response = client.get(reverse("projects:screening_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_my_applications_query_count_is_constant(
    client, django_assert_max_num_queries, size
):
    # given a leader's organisation with several applications
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    ApplicationFactory.create_batch(size, organisation=organisation)
    client.force_login(leader)
    # when the list is opened, then the number of queries does not grow
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:my_applications"))
    assert response.status_code == 200


def test_kazakh_page_shows_kazakh_text(client, leader_draft):
    # given a leader
    leader, _ = leader_draft
    client.force_login(leader)
    # when "my applications" is opened in Kazakh
    response = client.get("/kk/projects/my/")
    # then the heading is in Kazakh
    assert "Менің өтінімдерім" in response.content.decode()


def test_leader_downloads_the_pdf_of_a_submitted_application(
    client, leader_draft, django_capture_on_commit_callbacks
):
    # given a submitted application
    leader, draft = leader_draft
    services.application_submit(application=draft, actor=leader)
    client.force_login(leader)
    # when the leader asks for its PDF in Russian
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("projects:pdf", args=[draft.pk]), {"language": "ru"}
        )
    # then a finished PDF job is shown
    job = DocumentJob.objects.get()
    job.refresh_from_db()
    assert response.url == reverse("document_status", args=[job.pk])
    assert job.status == DocumentJob.Status.DONE
    content = job.file.read()
    assert content.startswith(b"%PDF-")
    job.file.close()


def test_leader_creates_a_draft_from_an_open_call(client):
    # given a leader and an open call
    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    call = CallFactory()
    client.force_login(leader)
    # when they start an application
    response = client.post(
        reverse("projects:apply", args=[call.pk]), {"organisation": organisation.pk}
    )
    # then a draft of their organisation opens on the general section
    application = Application.objects.get()
    assert application.organisation == organisation
    assert response.url == reverse(
        "projects:section_edit", args=[application.pk, "general"]
    )


def test_staff_creates_a_call_with_required_documents(client):
    # given staff and a funder
    staff = UserFactory(role="staff")
    funder = OrganisationFactory(kind="fund")
    client.force_login(staff)
    # when a call is created with one required document
    response = client.post(
        reverse("projects:call_create"),
        {
            "title_kk": "Игілік 2027",
            "title_ru": "Игилик 2027",
            "code": "IG",
            "funding_source": "igilik",
            "funder": funder.pk,
            "envelope": "60000000",
            "min_grant": "1000000",
            "max_grant": "5000000",
            "min_months_registered": "12",
            "opens_at": "2027-02-01T09:00",
            "closes_at": "2027-03-01T18:00",
            "docs-TOTAL_FORMS": "1",
            "docs-INITIAL_FORMS": "0",
            "docs-0-name_kk": "Жарғы",
            "docs-0-name_ru": "Устав",
        },
    )
    # then it is stored with the document, closing at 18:00 Kyzylorda time
    from projects.models import Call

    call = Call.objects.get(title_ru="Игилик 2027")
    assert response.status_code == 302
    assert call.required_documents.get().name_ru == "Устав"
    assert call.closes_at.isoformat() == "2027-03-01T13:00:00+00:00"


def test_call_form_refuses_closing_before_opening(client):
    # given staff
    client.force_login(UserFactory(role="staff"))
    # when the dates are in the wrong order
    response = client.post(
        reverse("projects:call_create"),
        {
            "title_kk": "X",
            "title_ru": "X",
            "code": "IG",
            "funding_source": "igilik",
            "funder": OrganisationFactory(kind="fund").pk,
            "envelope": "100",
            "min_grant": "1",
            "max_grant": "10",
            "min_months_registered": "0",
            "opens_at": "2027-03-01T09:00",
            "closes_at": "2027-02-01T09:00",
            "docs-TOTAL_FORMS": "0",
            "docs-INITIAL_FORMS": "0",
        },
    )
    # then the form answers with the message and nothing is stored
    from projects.models import Call

    assert response.status_code == 200
    assert not Call.objects.filter(title_ru="X").exists()


def test_editing_one_budget_row_keeps_the_others(client, leader_draft):
    # given a draft with two budget lines shown in the editor
    leader, draft = leader_draft
    services.application_save_section(
        application=draft,
        section="budget",
        version=draft.version,
        actor=leader,
        rows=[
            {
                "category": "staff",
                "item": "Тренер",
                "unit": "ай",
                "quantity": Decimal("1"),
                "unit_cost": Decimal("100"),
                "cofunding": 0,
            },
            {
                "category": "events",
                "item": "Семинар",
                "unit": "іс-шара",
                "quantity": Decimal("1"),
                "unit_cost": Decimal("200"),
                "cofunding": 0,
            },
        ],
    )
    draft.refresh_from_db()
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "budget"])
    data = {
        "version": draft.version,
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "2",
        "rows-0-category": "staff",
        "rows-0-item": "Тренер",
        "rows-0-unit": "ай",
        "rows-0-quantity": "1.00",
        "rows-0-unit_cost": "100.00",
        "rows-0-cofunding": "0.00",
        "rows-1-category": "events",
        "rows-1-item": "Семинар (жаңа)",
        "rows-1-unit": "іс-шара",
        "rows-1-quantity": "1.00",
        "rows-1-unit_cost": "200.00",
        "rows-1-cofunding": "0.00",
        "rows-2-category": "",
        "rows-2-item": "",
        "rows-2-unit": "",
        "rows-2-quantity": "",
        "rows-2-unit_cost": "",
        "rows-2-cofunding": "",
    }
    # when only the second row is changed and saved, with a blank extra row
    response = client.post(url, data)
    # then both rows are kept, the second one changed, and no blank row added
    assert response.status_code == 302
    assert list(draft.budget_lines.values_list("item", flat=True)) == [
        "Тренер",
        "Семинар (жаңа)",
    ]


def test_staff_delete_only_draft_calls_without_applications(client):
    # given staff, a draft call and an open call
    client.force_login(UserFactory(role="staff"))
    draft_call = CallFactory(status="draft")
    open_call = CallFactory()
    # when both are deleted
    client.post(reverse("projects:call_delete", args=[draft_call.pk]))
    client.post(reverse("projects:call_delete", args=[open_call.pk]))
    # then only the draft is gone
    from projects.models import Call

    assert list(Call.objects.values_list("pk", flat=True)) == [open_call.pk]


def test_draft_after_the_deadline_is_readable_but_not_editable(client):
    # given a draft in a call whose deadline has passed
    import datetime

    from django.utils import timezone

    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    call = CallFactory(closes_at=timezone.now() - datetime.timedelta(hours=1))
    draft = ApplicationFactory(call=call, organisation=organisation, problem="Ескі")
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "problem"])
    # when the leader opens and then tries to save the problem section
    page = client.get(url)
    post = client.post(url, {"version": draft.version, "problem": "Жаңа"})
    # then the text is shown read-only and the save is refused
    assert page.status_code == 200
    assert "Ескі" in page.content.decode()
    assert "disabled" in page.content.decode()
    assert post.status_code == 403
    draft.refresh_from_db()
    assert draft.problem == "Ескі"


def test_upload_accepts_a_real_xlsx_by_its_content(client, leader_draft):
    # given an XLSX workbook made by openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Смета"
    workbook.save(buffer)
    leader, draft = leader_draft
    client.force_login(leader)
    # when it is attached
    response = client.post(
        reverse("projects:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("budget.xlsx", buffer.getvalue())},
    )
    # then it is stored with the type read from its content
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.content_type.endswith("spreadsheetml.sheet")
    assert attachment.file.name.endswith(".xlsx")


def test_stale_autosave_answers_with_the_conflict_and_the_typed_text(
    client, leader_draft
):
    # given the draft moved on to version 2 in another tab
    leader, draft = leader_draft
    services.application_save_section(
        application=draft,
        section="goals",
        version=1,
        actor=leader,
        fields={"goals": "other tab"},
    )
    client.force_login(leader)
    # when this tab's autosave arrives with version 1
    response = client.post(
        reverse("projects:section_edit", args=[draft.pk, "problem"]),
        {"version": 1, "problem": "ЖОҒАЛМАЙТЫН МӘТІН"},
        HTTP_HX_REQUEST="true",
    )
    # then htmx gets the conflict panel with the typed text, and nothing is saved
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="conflict-area" hx-swap-oob="true"' in body
    assert "ЖОҒАЛМАЙТЫН МӘТІН" in body
    draft.refresh_from_db()
    assert draft.problem != "ЖОҒАЛМАЙТЫН МӘТІН"


def _activity_rows(*names, initial_forms=0, version):
    data = {
        "version": version,
        "rows-TOTAL_FORMS": str(len(names)),
        "rows-INITIAL_FORMS": str(initial_forms),
    }
    for i, name in enumerate(names):
        data.update(
            {
                f"rows-{i}-activity": name,
                f"rows-{i}-start": "2027-03-01",
                f"rows-{i}-end": "2027-03-31",
                f"rows-{i}-responsible": "Әсел",
            }
        )
    return data


@pytest.mark.parametrize("button", ["save", "next", "add_row"])
def test_button_after_autosave_keeps_every_row_of_the_same_page(
    client, leader_draft, button
):
    # given a page loaded with no activities (INITIAL_FORMS=0) and three rows typed
    leader, draft = leader_draft
    draft.activities.all().delete()
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "activities"])
    page = _activity_rows("А", "Б", "В", version=draft.version)
    # when htmx autosaves them, then the button posts the same page, new version
    client.post(url, page, HTTP_HX_REQUEST="true")
    draft.refresh_from_db()
    response = client.post(url, {**page, "version": draft.version, button: ""})
    # then the three rows are stored, not zero
    assert response.status_code == 302
    assert list(draft.activities.values_list("activity", flat=True)) == [
        "А",
        "Б",
        "В",
    ]


def test_button_racing_its_own_autosave_is_no_conflict(client, leader_draft):
    # given the autosave of this page landed after the page read its version
    leader, draft = leader_draft
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "activities"])
    page = _activity_rows("А", "Б", version=draft.version)
    client.post(url, page, HTTP_HX_REQUEST="true")
    # when the button posts the same content with the old version
    response = client.post(url, {**page, "save": ""})
    # then it is saved, not a conflict; different content would be one
    assert response.status_code == 302
    other = client.post(url, {**_activity_rows("X", version=page["version"])})
    assert other.status_code == 409
    assert list(draft.activities.values_list("activity", flat=True)) == ["А", "Б"]


def test_blank_and_deleted_rows_are_dropped_whatever_initial_forms_says(
    client, leader_draft
):
    # given a page that showed two stored rows and a blank extra one
    leader, draft = leader_draft
    client.force_login(leader)
    url = reverse("projects:section_edit", args=[draft.pk, "activities"])
    page = _activity_rows("А", "Б", "", initial_forms=2, version=draft.version)
    page.update({"rows-2-start": "", "rows-2-end": "", "rows-2-responsible": ""})
    page["rows-0-DELETE"] = "on"
    # when it is saved
    response = client.post(url, {**page, "save": ""})
    # then the deleted row and the blank row are not stored
    assert response.status_code == 302
    assert list(draft.activities.values_list("activity", flat=True)) == ["Б"]


def test_submitting_records_the_team_members_consent(client):
    # given a complete draft naming its team
    from members.models import Consent

    organisation = OrganisationFactory()
    leader = leader_of(organisation)
    draft = complete_draft(organisation=organisation, created_by=leader)
    Application.objects.filter(pk=draft.pk).update(team="Айгүл Сәрсенова, тренер")
    client.force_login(leader)
    page = client.get(reverse("projects:application_detail", args=[draft.pk]))
    assert "data-team-consent" in page.content.decode()
    # when the leader submits it
    response = client.post(reverse("projects:submit", args=[draft.pk]))
    # then the leader's confirmation for the team is recorded with the notice version
    assert response.status_code == 302
    consent = Consent.objects.get(context="team_member")
    assert consent.entered_by == leader
    assert consent.subject_name == "Айгүл Сәрсенова, тренер"
    assert consent.object_ref.startswith(f"projects.Application:{draft.pk}:")


def _queries(client, url) -> int:
    """Queries of a repeated visit (the first one after login also saves the
    session and the two-factor check)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_screening_page_query_count_does_not_grow_with_the_call(client):
    # given an application flagged against a copy, in a call of a few applications
    staff = UserFactory(role="staff")
    call = CallFactory()
    application = ApplicationFactory(call=call, submitted=True, title="Арал жастары")
    copy = ApplicationFactory(call=call, submitted=True, title="Арал жастары!")
    application_flag_duplicates(application=copy)
    client.force_login(staff)
    url = reverse("projects:screen", args=[application.pk])
    small = _queries(client, url)
    # when the call grows tenfold, with more copies and one organisation twice
    for n in range(20):
        other = ApplicationFactory(call=call, submitted=True, title=f"Арал жастары {n}")
        application_flag_duplicates(application=other)
    ApplicationFactory(call=call, submitted=True, organisation=application.organisation)
    body = client.get(url).content.decode()
    # then the page shows the flags with the same number of queries
    assert _queries(client, url) == small
    assert "data-duplicates" in body
