"""The expert's review page shows the whole application beside the scoring form,
and its attachments reach the assigned, non-conflicted expert only."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from members.models import Affiliation
from projects.models import Attachment
from projects.tests.factories import (
    PDF_BYTES,
    ActivityFactory,
    BudgetLineFactory,
    ExpectedResultFactory,
)
from reviews import services
from reviews.services import ConflictInput
from reviews.tests.factories import AssignmentFactory, CriterionFactory

pytestmark = pytest.mark.django_db

SECTIONS = [
    "organisation",
    "general",
    "problem",
    "goals",
    "target_group",
    "activities",
    "results",
    "sustainability",
    "budget",
    "attachments",
]


def _full_assignment(rows: int = 2):
    a = AssignmentFactory(
        application__problem="Ауылдағы жастардың жұмыссыздығы",
        application__settlements="Жаңақорған кенті",
    )
    application = a.application
    application.districts.add(application.organisation.district)
    CriterionFactory(call=application.call)
    for n in range(rows):
        ActivityFactory(application=application, activity=f"Семинар №{n}")
        ExpectedResultFactory(application=application, indicator=f"Көрсеткіш №{n}")
        BudgetLineFactory(
            application=application,
            item=f"Жолдама №{n}",
            grant_amount=Decimal("1000000.00"),
            cofunding=Decimal("250000.00"),
        )
    attachment = Attachment(
        application=application,
        original_name="жарғы.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    attachment.file.save("charter.pdf", ContentFile(PDF_BYTES), save=True)
    return a, attachment


def test_expert_sees_every_section_beside_the_scoring_form(client):
    # given an assignment whose application has rows in every table
    a, attachment = _full_assignment()
    client.force_login(a.expert.user)

    # when the expert opens it
    html = client.get(reverse("reviews:assignment_review", args=[a.pk])).content
    html = html.decode()

    # then every section is there, with the tables' rows, districts and totals
    for key in SECTIONS:
        assert f'data-section="{key}"' in html
    assert "Семинар №1" in html
    assert "Көрсеткіш №1" in html
    assert a.application.organisation.district.name in html
    assert "Жаңақорған кенті" in html
    # the budget's total: 2 × (1 000 000 + 250 000), grouped with no-break spaces
    assert "2\xa0500\xa0000\xa0₸" in html
    assert reverse("reviews:assignment_attachment", args=[a.pk, attachment.pk]) in html
    assert "data-score-panel" in html


@pytest.mark.parametrize("rows", [1, 6])
def test_review_page_query_count_does_not_grow_with_rows(
    client, rows, django_assert_max_num_queries
):
    a, _attachment = _full_assignment(rows)
    client.force_login(a.expert.user)
    # 20 measured on a first visit whatever the number of rows (16 on the next):
    # session, user, assignment, settings, criteria, the application with its
    # five prefetches, the conflict checks
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reviews:assignment_review", args=[a.pk]))
    assert response.status_code == 200


def test_assigned_expert_downloads_an_attachment(client):
    a, attachment = _full_assignment()
    client.force_login(a.expert.user)
    response = client.get(
        reverse("reviews:assignment_attachment", args=[a.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_other_expert_cannot_see_the_application_or_its_attachments(client):
    a, attachment = _full_assignment()
    other = AssignmentFactory()
    client.force_login(other.expert.user)
    assert (
        client.get(reverse("reviews:assignment_review", args=[a.pk])).status_code == 404
    )
    # nor through their own assignment with someone else's attachment id
    assert (
        client.get(
            reverse("reviews:assignment_attachment", args=[other.pk, attachment.pk])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["ngo_leader", "staff", "official", "fund_officer"])
def test_non_experts_cannot_download_through_the_review(client, make_user, role):
    a, attachment = _full_assignment()
    client.force_login(make_user(role))
    response = client.get(
        reverse("reviews:assignment_attachment", args=[a.pk, attachment.pk])
    )
    assert response.status_code in (403, 404)


def test_expert_with_a_declared_conflict_loses_the_page_and_the_files(client):
    a, attachment = _full_assignment()
    client.force_login(a.expert.user)

    # when the expert declares a conflict with the applicant
    services.conflicts_declare(
        expert=a.expert,
        call=a.application.call,
        conflicts=[ConflictInput(a.application.organisation, "family")],
    )

    # then neither the page nor the file is served
    assert (
        client.get(reverse("reviews:assignment_review", args=[a.pk])).status_code == 404
    )
    assert (
        client.get(
            reverse("reviews:assignment_attachment", args=[a.pk, attachment.pk])
        ).status_code
        == 404
    )


def test_expert_affiliated_with_the_applicant_after_assignment_is_refused(client):
    # given the expert joins the applicant organisation after being assigned
    a, attachment = _full_assignment()
    Affiliation.objects.create(
        user=a.expert.user,
        organisation=a.application.organisation,
        role=Affiliation.Role.STAFF,
        status=Affiliation.Status.APPROVED,
    )
    client.force_login(a.expert.user)
    assert (
        client.get(
            reverse("reviews:assignment_attachment", args=[a.pk, attachment.pk])
        ).status_code
        == 404
    )
