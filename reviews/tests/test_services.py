import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone, translation

from alliance_portal.models import Notification
from members.models import Affiliation
from projects.models import Application, ApplicationTransition
from reviews import services
from reviews.models import (
    Assignment,
    ConflictDeclaration,
    CouncilDecision,
    CouncilSession,
    Criterion,
    ReopenRecord,
    Review,
)
from reviews.services import (
    AttendanceInput,
    ConflictInput,
    DecisionInput,
    ScoreInput,
)
from reviews.tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    ExpertProfileFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal  # short, for readable expected values


@pytest.fixture(autouse=True)
def _english():
    # the messages are matched in English; the default language is Kazakh
    with translation.override("en"):
        yield


# --- conflicts: never one's own organisation, by any path ----------------------------


def test_manual_assignment_to_own_organisations_application_is_refused(
    experts, applications, staff
):
    # given an expert who belongs to the applicant
    expert = experts[0]
    expert.organisation = applications[0].organisation
    expert.save()
    # when / then
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.assignment_create(
            expert=expert, application=applications[0], actor=staff
        )
    assert not Assignment.objects.exists()


def test_assignment_refused_for_expert_with_approved_affiliation(
    experts, applications, staff
):
    # given an expert who is an approved staff member of the applicant
    Affiliation.objects.create(
        user=experts[0].user,
        organisation=applications[0].organisation,
        role=Affiliation.Role.STAFF,
        status=Affiliation.Status.APPROVED,
    )
    with pytest.raises(ValidationError):
        services.assignment_create(
            expert=experts[0], application=applications[0], actor=staff
        )
    assert not Assignment.objects.exists()


def test_auto_assignment_never_gives_an_expert_their_own_organisation(
    call, experts, applications, staff, criteria
):
    # given expert 0 belongs to applicant 0 and expert 1 is affiliated with applicant 1
    experts[0].organisation = applications[0].organisation
    experts[0].save()
    Affiliation.objects.create(
        user=experts[1].user,
        organisation=applications[1].organisation,
        status=Affiliation.Status.APPROVED,
    )
    # when
    created = services.assignments_auto(call=call, actor=staff)
    # then 12 assignments, 3 per application, none of them own-organisation
    assert len(created) == 12
    assert not Assignment.objects.filter(
        expert=experts[0], application=applications[0]
    ).exists()
    assert not Assignment.objects.filter(
        expert=experts[1], application=applications[1]
    ).exists()
    for app in applications:
        assert app.review_assignments.count() == 3
    loads = [e.assignments.count() for e in experts]
    assert max(loads) - min(loads) <= 1


def test_reassignment_to_own_organisation_is_refused(experts, applications, staff):
    # given a declined assignment and an expert of the applicant
    a = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    services.assignment_decline(assignment=a, reason="Уақытым жоқ")
    experts[1].organisation = applications[0].organisation
    experts[1].save()
    # when / then
    with pytest.raises(ValidationError):
        services.assignment_reassign(assignment=a, to_expert=experts[1], actor=staff)
    assert Assignment.objects.count() == 1


def test_database_refuses_an_own_organisation_assignment_made_around_the_service(
    experts, applications
):
    # given the service bypassed entirely
    with pytest.raises(IntegrityError):
        Assignment.objects.create(
            expert=experts[0],
            application=applications[0],
            call=applications[0].call,
            organisation=applications[0].organisation,
            expert_organisation=applications[0].organisation,
        )


def test_declared_conflict_removes_the_assignment_and_is_recorded(
    call, experts, applications, staff
):
    # given an assignment
    a = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    # when the expert declares a family tie with the applicant
    services.conflicts_declare(
        expert=experts[0],
        call=call,
        conflicts=[ConflictInput(applications[0].organisation, "family", "Ағам")],
    )
    # then the assignment is removed (kept as a record) and the conflict stored
    a.refresh_from_db()
    assert a.status == Assignment.Status.CONFLICT
    assert ConflictDeclaration.objects.get(expert=experts[0]).kind == "family"
    # and a new assignment of the pair is refused
    with pytest.raises(ValidationError):
        services.assignment_create(
            expert=experts[0], application=applications[0], actor=staff
        )


def test_duplicate_assignment_is_refused(experts, applications, staff):
    services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    with pytest.raises(ValidationError, match="already"):
        services.assignment_create(
            expert=experts[0], application=applications[0], actor=staff
        )


def test_only_admitted_applications_can_be_assigned(experts, call, staff):
    app = ApplicationFactory(call=call, submitted=True)
    with pytest.raises(ValidationError):
        services.assignment_create(expert=experts[0], application=app, actor=staff)


def test_new_assignment_notifies_the_expert(experts, applications, staff):
    services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    assert Notification.objects.filter(
        recipient=experts[0].user, kind="review_assigned"
    ).exists()


def test_auto_assignment_does_not_reoffer_a_declined_pair(
    call, experts, applications, staff
):
    a = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    services.assignment_decline(assignment=a)
    services.assignments_auto(call=call, actor=staff)
    assert (
        applications[0]
        .review_assignments.filter(status=Assignment.Status.ASSIGNED)
        .count()
        == 3
    )
    a.refresh_from_db()
    assert a.status == Assignment.Status.DECLINED


# --- scoring ------------------------------------------------------------------------


def _full(criteria, values=(8, 6)):
    return {
        c.pk: ScoreInput(value=D(v), comment="Жақсы дәлелденген")
        for c, v in zip(criteria, values, strict=True)
    }


def test_submit_computes_weighted_total_and_locks(criteria):
    a = AssignmentFactory(application__call=criteria[0].call)
    review = services.review_save(
        assignment=a, scores=_full(criteria), recommendation="fund", submit=True
    )
    # (3×0.8 + 1×0.6)/4 × 100 = 75
    assert review.total == D("75.00")
    a.refresh_from_db()
    assert a.status == Assignment.Status.SUBMITTED
    with pytest.raises(ValidationError, match="locked"):
        services.review_save(assignment=a, scores=_full(criteria), submit=False)


def test_not_applicable_reweights_the_total(criteria):
    a = AssignmentFactory(application__call=criteria[0].call)
    scores = _full(criteria)
    scores[criteria[1].pk] = ScoreInput(value=None, not_applicable=True)
    review = services.review_save(
        assignment=a, scores=scores, recommendation="fund", submit=True
    )
    assert review.total == D("80.00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: {c[0].pk: ScoreInput(D(11), comment="x")}, "score_{0}"),
        (lambda c: {c[0].pk: ScoreInput(D(-1), comment="x")}, "score_{0}"),
        (lambda c: {c[0].pk: ScoreInput(D(5), comment="  ")}, "comment_{0}"),
        (lambda c: {c[0].pk: ScoreInput(None, True, "x")}, "na_{0}"),
    ],
)
def test_bad_scores_are_refused_with_a_field_message_and_nothing_saved(
    criteria, change, field
):
    # given an assignment and one bad score among good ones
    a = AssignmentFactory(application__call=criteria[0].call)
    scores = {**_full(criteria), **change(criteria)}
    # when
    with pytest.raises(ValidationError) as exc:
        services.review_save(
            assignment=a, scores=scores, recommendation="fund", submit=True
        )
    # then the message is on the field and nothing is saved
    assert field.format(criteria[0].pk) in exc.value.message_dict
    assert not Review.objects.exists()


def test_not_applicable_refused_when_the_call_disallows_it(criteria):
    settings_obj = criteria[0].call.review_settings
    settings_obj.allow_not_applicable = False
    settings_obj.save()
    a = AssignmentFactory(application__call=criteria[0].call)
    scores = _full(criteria)
    scores[criteria[1].pk] = ScoreInput(value=None, not_applicable=True)
    with pytest.raises(ValidationError):
        services.review_save(
            assignment=a, scores=scores, recommendation="fund", submit=True
        )


def test_submit_after_deadline_refused_with_message_then_reopen_allows_it(
    criteria, staff
):
    a = AssignmentFactory(application__call=criteria[0].call)
    later = timezone.now() + datetime.timedelta(days=8)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(ValidationError, match="deadline has passed"),
    ):
        services.review_save(
            assignment=a, scores=_full(criteria), recommendation="fund", submit=True
        )
    assert not Review.objects.exists()
    # a draft and a submission before the deadline, then staff reopen with a reason
    review = services.review_save(
        assignment=a, scores=_full(criteria), recommendation="fund", submit=True
    )
    with pytest.raises(ValidationError):
        services.review_reopen(review=review, actor=staff, reason=" ")
    services.review_reopen(
        review=review,
        actor=staff,
        reason="Бюджет бөлімін қайта қараңыз",
        due=later + datetime.timedelta(days=2),
    )
    assert ReopenRecord.objects.get().by == staff
    with time_machine.travel(later, tick=False):
        review = services.review_save(
            assignment=a,
            scores=_full(criteria, (4, 6)),
            recommendation="fund_with_changes",
            submit=True,
        )
    assert review.total == D("45.00")


def test_criteria_copy_template_follows_the_source_article(call, staff):
    copied = services.criteria_copy_template(call=call, actor=staff)
    assert len(copied) == 6
    names = list(Criterion.objects.filter(call=call).values_list("name_ru", flat=True))
    assert names[0] == "Актуальность и жизнеспособность социальной проблемы"
    assert "Охват районов и сёл" in names


# --- the council ---------------------------------------------------------------------


def test_session_without_quorum_is_refused_and_nothing_saved(call, experts, staff):
    # given 4 active experts: 3 needed (ceil 2/3 × 4)
    with pytest.raises(ValidationError, match="No quorum: 2 of 4"):
        services.council_session_create(
            call=call,
            held_on=datetime.date(2026, 12, 1),
            attendance=[AttendanceInput(e) for e in experts[:2]],
            actor=staff,
        )
    assert not CouncilSession.objects.exists()
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[
            AttendanceInput(experts[0]),
            AttendanceInput(experts[1]),
            AttendanceInput(experts[2], remote=True),
        ],
        actor=staff,
    )
    assert session.attendance.filter(remote=True).count() == 1


def _session(call, experts, staff):
    return services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in experts],
        actor=staff,
    )


def test_decisions_change_statuses_set_amounts_and_notify(
    call, experts, applications, staff
):
    session = _session(call, experts, staff)
    services.council_decisions_record(
        session=session,
        decisions=[
            DecisionInput(applications[0], "recommend", D("1200000.00")),
            DecisionInput(
                applications[1],
                "recommend_conditions",
                D("1000000"),
                conditions="Бюджетті қысқарту",
            ),
            DecisionInput(applications[2], "do_not_recommend", reasons="Әлсіз"),
            DecisionInput(applications[3], "defer"),
        ],
        actor=staff,
    )
    statuses = [Application.objects.get(pk=a.pk) for a in applications]
    assert [a.status for a in statuses] == [
        "recommended",
        "recommended",
        "not_recommended",
        "admitted",
    ]
    assert statuses[0].approved_amount == D("1200000.00")
    assert statuses[3].approved_amount is None
    assert ApplicationTransition.objects.filter(actor=staff).count() == 3
    assert Notification.objects.filter(kind="council_decision").count() == 3


def test_amount_above_requested_refused_and_nothing_saved(
    call, experts, applications, staff
):
    session = _session(call, experts, staff)
    with pytest.raises(ValidationError) as exc:
        services.council_decisions_record(
            session=session,
            decisions=[
                DecisionInput(applications[0], "recommend", D("1000000")),
                DecisionInput(applications[1], "recommend", D("1500000.01")),
            ],
            actor=staff,
        )
    assert f"amount_{applications[1].pk}" in exc.value.message_dict
    assert not CouncilDecision.objects.exists()
    assert Application.objects.get(pk=applications[0].pk).status == "admitted"


def test_total_beyond_envelope_needs_a_recorded_override_reason(
    call, experts, applications, staff
):
    # given an envelope of 3 000 000 and three recommendations of 1 500 000
    session = _session(call, experts, staff)
    decisions = [DecisionInput(a, "recommend", D("1500000")) for a in applications[:3]]
    with pytest.raises(ValidationError, match="envelope"):
        services.council_decisions_record(
            session=session, decisions=decisions, actor=staff
        )
    assert not CouncilDecision.objects.exists()
    services.council_decisions_record(
        session=session,
        decisions=decisions,
        actor=staff,
        envelope_override_reason="Әкімдік қосымша қаржы бөлді",
    )
    session.refresh_from_db()
    assert session.envelope_override_reason == "Әкімдік қосымша қаржы бөлді"
    assert session.decided_at is not None


def test_decided_application_cannot_be_decided_again(
    call, experts, applications, staff
):
    s1 = _session(call, experts, staff)
    services.council_decisions_record(
        session=s1,
        decisions=[DecisionInput(applications[0], "do_not_recommend", reasons="x")],
        actor=staff,
    )
    s2 = _session(call, experts, staff)
    with pytest.raises(ValidationError):
        services.council_decisions_record(
            session=s2,
            decisions=[DecisionInput(applications[0], "recommend", D("1"))],
            actor=staff,
        )


def test_expert_on_leave_is_not_counted_in_the_council(call, experts, staff):
    inactive = ExpertProfileFactory(active=False)
    with pytest.raises(ValidationError, match="of 4"):
        services.council_session_create(
            call=call,
            held_on=datetime.date(2026, 12, 1),
            attendance=[AttendanceInput(inactive), AttendanceInput(experts[0])],
            actor=staff,
        )


def test_moving_the_deadline_moves_open_assignments(call, experts, applications, staff):
    a = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    assert a.due == call.review_settings.review_deadline
    later = call.review_settings.review_deadline + datetime.timedelta(days=3)
    services.call_settings_update(call=call, actor=staff, review_deadline=later)
    a.refresh_from_db()
    assert a.due == later


def test_recording_no_decision_is_refused(call, experts, staff):
    session = _session(call, experts, staff)
    with pytest.raises(ValidationError, match="at least one"):
        services.council_decisions_record(session=session, decisions=[], actor=staff)
    session.refresh_from_db()
    assert session.decided_at is None
