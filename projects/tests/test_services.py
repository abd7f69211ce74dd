import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from alliance_portal.models import Notification
from members.models import MembershipPeriod
from members.tests.factories import DistrictFactory, OrganisationFactory, UserFactory
from projects import services
from projects.models import (
    Application,
    ApplicationSnapshot,
    ApplicationTransition,
    BudgetLine,
    DuplicateFlag,
    SectionComment,
)
from projects.selectors import duplicate_flags
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


def test_submit_assigns_a_numbered_sequence_per_call_code_and_year():
    # given two complete drafts in a call coded IG
    call = CallFactory(code="IG")
    first, second = complete_draft(call=call), complete_draft(call=call)
    year = timezone.localtime(call.opens_at).year
    # when both are submitted
    services.application_submit(application=first, actor=first.created_by)
    services.application_submit(application=second, actor=second.created_by)
    # then they are numbered one after the other and recorded in the history
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.number == f"IG-{year}-0001"
    assert second.number == f"IG-{year}-0002"
    assert first.status == Application.Status.SUBMITTED
    assert first.transitions.get().to_status == Application.Status.SUBMITTED
    assert first.snapshots.get().kind == ApplicationSnapshot.Kind.SUBMITTED


def test_submit_skips_numbers_already_taken_outside_the_service():
    # given an application numbered by hand with the first number of the year
    call = CallFactory(code="IG")
    year = timezone.localtime(call.opens_at).year
    ApplicationFactory(call=call, number=f"IG-{year}-0001", status="submitted")
    draft = complete_draft(call=call)
    # when a draft is submitted
    services.application_submit(application=draft, actor=draft.created_by)
    # then it takes the next free number
    assert draft.number == f"IG-{year}-0002"


def test_double_submit_creates_one_submission():
    # given a complete draft
    draft = complete_draft()
    # when it is submitted twice (double click)
    services.application_submit(application=draft, actor=draft.created_by)
    number = draft.number
    again = services.application_submit(application=draft, actor=draft.created_by)
    # then there is one transition, one snapshot and the same number
    assert again.number == number
    assert draft.transitions.count() == 1
    assert draft.snapshots.count() == 1


def test_submission_reports_every_problem_at_once_and_writes_nothing():
    # given an empty draft in a call that needs a document
    call = CallFactory()
    RequiredDocumentFactory(call=call)
    draft = ApplicationFactory(call=call, title="", problem="", requested_amount=0)
    # when it is submitted
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then problems are reported in each section, and nothing changed
    problems = info.value.problems
    assert {
        "general",
        "problem",
        "sustainability",
        "activities",
        "results",
        "budget",
        "attachments",
    } <= set(problems)
    assert "title" in [f for f, _ in problems["general"]]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.number == ""
    assert not draft.transitions.exists()


def test_budget_total_must_equal_requested_amount():
    # given a complete draft whose budget asks more than the requested amount
    draft = complete_draft()
    BudgetLine.objects.filter(application=draft).update(
        grant_amount=Decimal("1600000.00")
    )
    # when it is submitted
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then the budget section carries the problem
    assert "budget" in info.value.problems


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        ("499999.99", False),
        ("500000.00", True),
        ("5000000.00", True),
        ("5000000.01", False),
    ],
)
def test_requested_amount_must_be_within_the_calls_limits(amount, ok):
    # given a complete draft whose budget matches an amount near the limits
    draft = complete_draft(requested_amount=Decimal(amount))
    BudgetLine.objects.filter(application=draft).update(grant_amount=Decimal(amount))
    # when it is submitted
    if ok:
        services.application_submit(application=draft, actor=draft.created_by)
        assert draft.status == Application.Status.SUBMITTED
    else:
        with pytest.raises(services.SubmissionInvalidError) as info:
            services.application_submit(application=draft, actor=draft.created_by)
        assert [f for f, _ in info.value.problems["general"]] == ["requested_amount"]


def test_nothing_can_be_submitted_after_the_deadline_but_the_draft_stays():
    # given a complete draft in a call whose deadline passed a minute ago
    call = CallFactory(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    draft = complete_draft(call=call)
    # when it is submitted
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then the call refuses it and the draft is intact
    assert "call" in info.value.problems
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.title


def test_membership_rule_refuses_non_members_and_accepts_members():
    # given a members-only call and a complete draft of a non-member
    call = CallFactory(membership_required=True)
    draft = complete_draft(call=call)
    # when it is submitted, then membership is the problem
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    assert "organisation" in info.value.problems
    # and once the organisation is a member, it goes through
    MembershipPeriod.objects.create(
        organisation=draft.organisation,
        status=MembershipPeriod.Status.ACTIVE,
        started_on=datetime.date(2020, 1, 1),
    )
    services.application_submit(application=draft, actor=draft.created_by)
    assert draft.status == Application.Status.SUBMITTED


def test_unfinished_earlier_project_blocks_a_new_application(monkeypatch):
    # given a registered check (the grants app's) naming an unfinished grant
    from projects import selectors

    monkeypatch.setattr(
        selectors, "_unfinished_checks", [lambda *, organisation: ["GR-2025-0007"]]
    )
    call = CallFactory(no_unfinished_reports=True)
    draft = complete_draft(call=call)
    # when it submits a new one
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then the earlier project is named
    assert "GR-2025-0007" in str(info.value.problems["organisation"][0][1])


def test_registration_months_rule_needs_the_registration_date():
    # given a call for organisations registered at least 12 months
    call = CallFactory(min_months_registered=12)
    draft = complete_draft(call=call)
    # when it is submitted by an organisation whose profile has no date yet
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then the organisation section says so
    assert "organisation" in info.value.problems


def test_district_outside_the_call_is_refused():
    # given a call limited to Aral and a draft for another district
    aral = DistrictFactory(code="aral")
    call = CallFactory()
    call.eligible_districts.add(aral)
    draft = complete_draft(call=call)
    # when it is submitted
    with pytest.raises(services.SubmissionInvalidError) as info:
        services.application_submit(application=draft, actor=draft.created_by)
    # then the districts field is pointed at
    assert "districts" in [f for f, _ in info.value.problems["general"]]


def test_save_section_with_stale_version_writes_nothing():
    # given a draft loaded in two tabs at version 1
    draft = ApplicationFactory(problem="first")
    actor = draft.created_by
    services.application_save_section(
        application=draft,
        section="problem",
        version=1,
        actor=actor,
        fields={"problem": "from tab one"},
    )
    # when the second tab saves with the old version
    with pytest.raises(services.StaleVersionError):
        services.application_save_section(
            application=draft,
            section="problem",
            version=1,
            actor=actor,
            fields={"problem": "from tab two"},
        )
    # then the first tab's text stays
    draft.refresh_from_db()
    assert draft.problem == "from tab one"
    assert draft.version == 2


def test_budget_lines_compute_the_grant_part():
    # given a draft
    draft = ApplicationFactory()
    # when a budget line is saved: 4 × 250 000 with 100 000 co-funding
    services.application_save_section(
        application=draft,
        section="budget",
        version=draft.version,
        actor=draft.created_by,
        rows=[
            {
                "category": "events",
                "item": "Семинар",
                "unit": "іс-шара",
                "quantity": Decimal("4"),
                "unit_cost": Decimal("250000"),
                "cofunding": Decimal("100000"),
            }
        ],
    )
    # then the grant part is 900 000
    line = draft.budget_lines.get()
    assert line.grant_amount == Decimal("900000.00")
    assert line.total == Decimal("1000000.00")


def test_activity_with_end_before_start_is_refused_and_rows_kept():
    # given a draft with one activity
    draft = complete_draft()
    # when rows with an end before the start are saved
    with pytest.raises(ValidationError):
        services.application_save_section(
            application=draft,
            section="activities",
            version=draft.version,
            actor=draft.created_by,
            rows=[
                {
                    "activity": "X",
                    "start": datetime.date(2026, 5, 1),
                    "end": datetime.date(2026, 4, 1),
                    "responsible": "Y",
                }
            ],
        )
    # then the old row is still there
    assert draft.activities.count() == 1


def test_submitted_application_cannot_be_edited():
    # given a submitted application
    application = ApplicationFactory(submitted=True)
    # when a section is saved, then it is refused
    with pytest.raises(services.NotEditable):
        services.application_save_section(
            application=application,
            section="problem",
            version=application.version,
            actor=application.created_by,
            fields={"problem": "changed"},
        )


def test_attachment_refuses_a_renamed_executable():
    # given a draft
    draft = ApplicationFactory()
    # when an executable named .pdf is attached
    fake = pdf_upload(name="charter.pdf", content=b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        services.attachment_add(application=draft, upload=fake, actor=draft.created_by)
    # then nothing is attached
    assert not draft.attachments.exists()


def test_attachment_refuses_files_over_ten_megabytes(settings):
    # given a limit of 1 KB for the test
    settings.MAX_UPLOAD_SIZE = 1024
    draft = ApplicationFactory()
    # when a 2 KB PDF is attached, then it is refused
    with pytest.raises(ValidationError):
        services.attachment_add(
            application=draft,
            upload=pdf_upload(content=b"%PDF-1.4\n" + b"0" * 2048),
            actor=draft.created_by,
        )


def test_return_reopens_only_commented_sections_and_resubmission_records_the_diff():
    # given a submitted application of a leader
    leader = leader_of()
    staff = UserFactory(role="staff")
    draft = complete_draft(organisation=leader.affiliations.get().organisation)
    services.application_submit(application=draft, actor=leader)
    # when staff return it with a comment on the budget
    services.application_return(
        application=draft, actor=staff, section_comments={"budget": "Too costly"}
    )
    # then only the budget is editable, the comment is kept and the leader is told
    draft.refresh_from_db()
    assert draft.status == Application.Status.RETURNED
    assert draft.section_is_editable("budget")
    assert not draft.section_is_editable("problem")
    assert SectionComment.objects.get(application=draft).section == "budget"
    assert Notification.objects.filter(
        recipient=leader, kind="application_returned"
    ).exists()
    # and when the leader fixes it and resubmits, the number stays
    number = draft.number
    services.application_submit(application=draft, actor=leader)
    draft.refresh_from_db()
    assert draft.status == Application.Status.RESUBMITTED
    assert draft.number == number
    assert draft.reopened_sections == []


def test_reject_needs_a_reason_and_leaves_status_without_one():
    # given a submitted application
    application = ApplicationFactory(submitted=True)
    staff = UserFactory(role="staff")
    # when it is rejected without a reason, then it is refused
    with pytest.raises(ValidationError):
        services.application_reject(application=application, actor=staff, reason=" ")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    # and with a reason it is rejected with the reason in the history
    services.application_reject(application=application, actor=staff, reason="Late")
    assert application.transitions.get().comment == "Late"


def test_admitted_application_cannot_be_withdrawn():
    # given an admitted application
    application = ApplicationFactory(admitted=True)
    # when the leader withdraws it, then it is refused
    with pytest.raises(services.WorkflowError):
        services.application_withdraw(
            application=application, actor=application.created_by
        )
    assert not ApplicationTransition.objects.filter(application=application).exists()


def test_withdraw_before_decision_tells_staff():
    # given a submitted application and one staff member
    application = ApplicationFactory(submitted=True)
    staff = UserFactory(role="staff")
    # when the leader withdraws it
    services.application_withdraw(application=application, actor=application.created_by)
    # then it is withdrawn and staff are told
    assert application.status == Application.Status.WITHDRAWN
    assert Notification.objects.filter(
        recipient=staff, kind="application_withdrawn"
    ).exists()


def test_duplicates_flag_same_organisation_and_near_identical_text():
    # given four submitted applications in one call: two of one organisation, one
    # with a copied title, one different
    call = CallFactory()
    organisation = OrganisationFactory()
    a = ApplicationFactory(
        call=call, organisation=organisation, title="Арал жастары", status="submitted"
    )
    ApplicationFactory(
        call=call, organisation=organisation, title="Басқа жоба", status="submitted"
    )
    copy = ApplicationFactory(
        call=call, title="Арал жастары!", problem="мүлде басқа", status="submitted"
    )
    ApplicationFactory(
        call=call, title="Түрлі тақырып", problem="басқа мәтін", status="submitted"
    )
    # when the copy's duplicates are computed (as its submission does)
    application_flag_duplicates(application=copy)
    # then the first shows one same-organisation and one similar-text flag
    flags = duplicate_flags(application=a)
    assert sorted(f["kind"] for f in flags) == ["same_organisation", "similar_text"]
    assert next(f for f in flags if f["kind"] == "similar_text")["other"] == copy
    # and the copy shows the first, in the other direction
    assert [f["other"] for f in duplicate_flags(application=copy)] == [a]


def test_submit_stores_duplicate_flags_and_a_withdrawn_copy_is_not_shown():
    # given a submitted application and a complete draft with the same texts
    call = CallFactory()
    first = complete_draft(call=call)
    services.application_submit(application=first, actor=first.created_by)
    copy = complete_draft(call=call)
    Application.objects.filter(pk=copy.pk).update(
        title=first.title, problem=first.problem
    )
    copy.refresh_from_db()
    # when the copy is submitted
    services.application_submit(application=copy, actor=copy.created_by)
    # then both are flagged, each pointing at the other
    assert DuplicateFlag.objects.get(application=first).other_id == copy.pk
    assert DuplicateFlag.objects.get(application=copy).other_id == first.pk
    # and once the copy is withdrawn the first no longer shows it
    services.application_withdraw(application=copy, actor=copy.created_by)
    assert duplicate_flags(application=first) == []


def test_duplicates_ignore_drafts_and_other_calls():
    # given a draft and an application of another call with the same title
    call = CallFactory()
    a = ApplicationFactory(call=call, title="Арал жастары", status="submitted")
    ApplicationFactory(call=call, title="Арал жастары", status="draft")
    ApplicationFactory(title="Арал жастары", status="submitted")
    # when its duplicates are computed, then none is flagged
    assert application_flag_duplicates(application=a) == []


def test_call_status_moves_only_along_its_workflow():
    # given an open call
    call = CallFactory()
    staff = UserFactory(role="staff")
    # when staff try to mark it decided directly, then it is refused
    with pytest.raises(ValidationError):
        services.call_change_status(call=call, to_status="decided", actor=staff)
    # and closing it works
    services.call_change_status(call=call, to_status="closed", actor=staff)
    call.refresh_from_db()
    assert call.status == "closed"


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers():
    # given four complete drafts in one call
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    call = CallFactory(code="CC")
    drafts = [complete_draft(call=call) for _ in range(4)]
    errors = []

    def submit(application):
        from django.db import connection as thread_connection

        try:
            services.application_submit(
                application=application, actor=application.created_by
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    # when they are submitted at the same time
    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every one got its own number
    assert errors == []
    numbers = set(
        Application.objects.filter(call=call).values_list("number", flat=True)
    )
    assert len(numbers) == 4


def test_a_long_problem_text_copied_with_small_edits_is_flagged_and_others_are_not():
    # given a call with a long problem text, a lightly edited copy under another
    # title, and an application on the same subject written independently
    words = [f"сөз{i % 97}" for i in range(260)]
    text = " ".join(f"{w}{i}" for i, w in enumerate(words))
    call = CallFactory()
    original = ApplicationFactory(
        call=call, title="Жастар орталығы", problem=text, status="submitted"
    )
    edited = text.replace("сөз5", "сөзбе", 1).replace("сөз40", "жаңасөз", 1)
    copy = ApplicationFactory(
        call=call, title="Мүлде басқа атау", problem=edited, status="submitted"
    )
    other = ApplicationFactory(
        call=call,
        title="Үшінші жоба",
        problem=" ".join(reversed(text.split())),
        status="submitted",
    )
    application_flag_duplicates(application=original)
    application_flag_duplicates(application=other)
    # when the copy is submitted
    application_flag_duplicates(application=copy)
    # then the copy and the original point at each other, and nothing else is flagged
    pairs = set(DuplicateFlag.objects.values_list("application_id", "other_id"))
    assert pairs == {(copy.pk, original.pk), (original.pk, copy.pk)}
