import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.tests.factories import OrganisationFactory
from memoranda.models import Commitment, CommitmentEvidence, Memorandum
from memoranda.tests.conftest import PDF_BYTES
from memoranda.tests.factories import (
    CommitmentFactory,
    MemorandumFactory,
    memorandum_with_parties,
)

pytestmark = pytest.mark.django_db


def _form_data(orgs, **overrides):
    data = {
        "kind": "tripartite",
        "number": "6",
        "status": "signed",
        "title_kk": "Әріптестік туралы меморандум",
        "title_ru": "Меморандум о партнёрстве",
        "signed_on": "2026-03-17",
        "valid_from": "2026-03-17",
        "valid_until": "2027-03-16",
        "goals_kk": "Ортақ мақсаттар",
        "goals_ru": "Общие цели",
        "directions_kk": "Бағыттар",
        "directions_ru": "Направления",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "10",
    }
    for i in range(3):
        org = orgs[i] if i < len(orgs) else None
        data[f"parties-{i}-organisation"] = str(org.pk) if org else ""
        data[f"parties-{i}-signatory_name"] = f"Қол қоюшы {i}" if org else ""
        data[f"parties-{i}-signatory_position_kk"] = "Төраға" if org else ""
        data[f"parties-{i}-signatory_position_ru"] = "Председатель" if org else ""
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("staff"))
    return client


def test_staff_records_memorandum_with_three_parties_and_a_scan(staff_client):
    # given three organisations and a real PDF scan
    orgs = OrganisationFactory.create_batch(3)
    data = _form_data(orgs, scan=SimpleUploadedFile("scan.pdf", PDF_BYTES))
    # when staff submits the form
    response = staff_client.post(reverse("memoranda:create"), data)
    # then the memorandum is saved with its three parties and the scan
    memorandum = Memorandum.objects.get()
    assert response.status_code == 302
    assert memorandum.parties.count() == 3
    assert memorandum.scan.name.startswith("private/")


def test_end_before_start_is_refused_on_the_field_and_typed_fields_kept(staff_client):
    # given a validity end before its start
    orgs = OrganisationFactory.create_batch(2)
    data = _form_data(orgs, valid_until="2026-01-01")
    # when staff submits
    response = staff_client.post(reverse("memoranda:create"), data)
    # then the end-date field says why, the title stays typed, nothing is saved
    form = response.context["form"]
    assert response.status_code == 200
    assert "басталуынан кейін болуы керек" in str(form.errors["valid_until"])
    assert "Әріптестік туралы меморандум" in response.content.decode()
    assert not Memorandum.objects.exists()


def test_fewer_than_two_parties_is_refused_with_a_clear_message(staff_client):
    # given only one party filled in
    data = _form_data(OrganisationFactory.create_batch(1))
    # when staff submits
    response = staff_client.post(reverse("memoranda:create"), data)
    # then the parties block says at least two are needed and nothing is saved
    assert response.status_code == 200
    errors = response.context["parties"].non_form_errors()
    assert "кемінде екі тарап" in str(errors)
    assert "кемінде екі тарап" in response.content.decode()
    assert "Меморандум о партнёрстве" in response.content.decode()
    assert not Memorandum.objects.exists()


def test_same_organisation_twice_is_refused(staff_client):
    # given one organisation in two rows
    org = OrganisationFactory()
    data = _form_data([org, org])
    # when staff submits
    response = staff_client.post(reverse("memoranda:create"), data)
    # then it is refused
    assert "тек бір рет" in str(response.context["parties"].non_form_errors())
    assert not Memorandum.objects.exists()


def test_text_file_named_pdf_is_refused_as_scan(staff_client):
    # given a text file disguised as a PDF
    fake = SimpleUploadedFile("scan.pdf", b"hello " * 100, "application/pdf")
    data = _form_data(OrganisationFactory.create_batch(2), scan=fake)
    # when staff uploads it
    response = staff_client.post(reverse("memoranda:create"), data)
    # then the scan field says it is not a PDF; the typed title stays; nothing saved
    assert "PDF құжаты емес" in str(response.context["form"].errors["scan"])
    assert "Әріптестік туралы меморандум" in response.content.decode()
    assert not Memorandum.objects.exists()


def test_scan_over_ten_megabytes_is_refused(staff_client):
    # given a PDF just over 10 MB
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    data = _form_data(OrganisationFactory.create_batch(2), scan=big)
    # when staff uploads it
    response = staff_client.post(reverse("memoranda:create"), data)
    # then the scan field names the limit and nothing is saved
    assert "шегі — 10,0\xa0МБ" in str(response.context["form"].errors["scan"])
    assert not Memorandum.objects.exists()


def test_staff_marks_commitment_done_with_note_and_evidence(staff_client):
    # given a planned commitment
    memorandum = memorandum_with_parties(2)
    commitment = CommitmentFactory(
        memorandum=memorandum, responsible=memorandum.parties.first().organisation
    )
    # when staff records it as done with an act
    response = staff_client.post(
        reverse("memoranda:commitment_progress", args=[commitment.pk]),
        {
            "status": "done",
            "note": "Орындалды",
            "evidence": SimpleUploadedFile("act.pdf", PDF_BYTES),
        },
    )
    # then it is done, and the page shows progress 1 of 1
    commitment.refresh_from_db()
    assert response.status_code == 302
    assert commitment.status == Commitment.Status.DONE
    assert CommitmentEvidence.objects.filter(commitment=commitment).count() == 1
    page = staff_client.get(reverse("memoranda:detail", args=[memorandum.pk]))
    assert page.context["memorandum"].commitments_done == 1


def test_disguised_evidence_is_refused_and_status_unchanged(staff_client):
    # given a planned commitment
    commitment = CommitmentFactory()
    # when staff marks it done with a text file named .pdf
    response = staff_client.post(
        reverse("memoranda:commitment_progress", args=[commitment.pk]),
        {
            "status": "done",
            "note": "Орындалды",
            "evidence": SimpleUploadedFile("act.pdf", b"plain text " * 50),
        },
    )
    # then the evidence field explains; the note stays typed; nothing changed
    assert "файлын жүктеңіз" in str(response.context["form"].errors["evidence"])
    assert "Орындалды" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.PLANNED


def test_commitment_for_an_outsider_is_refused_on_the_field(staff_client):
    # given a memorandum and an organisation that is not a party
    memorandum = memorandum_with_parties(2)
    outsider = OrganisationFactory()
    # when staff assigns a commitment to it
    response = staff_client.post(
        reverse("memoranda:commitment_create", args=[memorandum.pk]),
        {
            "text_kk": "Іс",
            "text_ru": "Дело",
            "responsible": outsider.pk,
            "due_on": "2030-01-01",
        },
    )
    # then the field refuses it and nothing is saved
    assert "responsible" in response.context["form"].errors
    assert not Commitment.objects.exists()


def test_memorandum_page_flags_an_overdue_commitment(client):
    # given an in-force memorandum with a commitment due last year, not done
    memorandum = memorandum_with_parties(2)
    CommitmentFactory(
        memorandum=memorandum,
        responsible=memorandum.parties.first().organisation,
        due_on=datetime.date(2020, 1, 1),
    )
    # when a visitor opens it
    response = client.get(reverse("memoranda:detail", args=[memorandum.pk]))
    # then the commitment is flagged overdue
    assert "data-overdue" in response.content.decode()
    assert response.context["memorandum"].commitments_overdue == 1


def test_kazakh_page_shows_kazakh_interface(client):
    # given a memorandum in force
    memorandum_with_parties(2)
    # when a visitor opens the list in Kazakh
    response = client.get("/kk/memoranda/")
    # then the headings are in Kazakh
    assert "Күшіндегі меморандумдар" in response.content.decode()


def test_list_filters_by_kind_and_year(client, make_user):
    # given a tripartite memorandum of 2013 and a bilateral one of 2006
    client.force_login(make_user("official"))
    tri = MemorandumFactory(lapsed=True)
    MemorandumFactory(
        kind="bilateral",
        signed_on=datetime.date(2006, 11, 1),
        valid_from=datetime.date(2006, 11, 1),
        valid_until=None,
    )
    # when the official filters by tripartite and 2013
    response = client.get(
        reverse("memoranda:list"), {"kind": "tripartite", "year": "2013"}
    )
    # then only the 2013 tripartite one is listed
    assert [m.pk for m in response.context["page_obj"]] == [tri.pk]


@pytest.mark.parametrize("size", [3, 12])
def test_list_runs_in_fixed_queries_whatever_the_number(
    client, make_user, django_assert_max_num_queries, size
):
    # given many memoranda, each with parties and commitments
    client.force_login(make_user("official"))
    for _ in range(size):
        memorandum = memorandum_with_parties(3)
        CommitmentFactory.create_batch(
            2,
            memorandum=memorandum,
            responsible=memorandum.parties.first().organisation,
        )
    # when the list is opened, then the query count does not grow with the data
    with django_assert_max_num_queries(11):
        response = client.get(reverse("memoranda:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 10])
def test_detail_runs_in_fixed_queries_whatever_the_number(
    client, make_user, django_assert_max_num_queries, size
):
    # given a memorandum with many commitments, each with notes
    client.force_login(make_user("staff"))
    memorandum = memorandum_with_parties(3)
    for commitment in CommitmentFactory.create_batch(
        size, memorandum=memorandum, responsible=memorandum.parties.first().organisation
    ):
        commitment.notes.create(text="Басталды")
    # when the page is opened, then the query count does not grow with the data
    # 14: one more than before, the list of issued versions
    with django_assert_max_num_queries(14):
        response = client.get(reverse("memoranda:detail", args=[memorandum.pk]))
    assert response.status_code == 200


def test_home_panel_counts_overdue_commitments_for_officials(client, make_user):
    # given one overdue and one later commitment of a memorandum in force
    client.force_login(make_user("official"))
    memorandum = memorandum_with_parties(2)
    org = memorandum.parties.first().organisation
    CommitmentFactory(memorandum=memorandum, responsible=org, due_on="2020-01-01")
    CommitmentFactory(memorandum=memorandum, responsible=org, due_on="2099-01-01")
    # and an open commitment of a lapsed memorandum, which is history
    lapsed = memorandum_with_parties(2, lapsed=True)
    CommitmentFactory(memorandum=lapsed, due_on="2013-12-01")
    # when the official opens the home page
    response = client.get(reverse("home"))
    # then the panel counts one overdue, from the memorandum in force
    assert response.context["memoranda_panel"].overdue_count == 1
    assert 'data-overdue-count="1"' in response.content.decode()
