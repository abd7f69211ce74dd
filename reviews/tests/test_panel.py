"""The panel of a call is its council: who may be assigned, who counts for quorum,
who can be marked present; and staff manage it on the call's review page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.tests.factories import OrganisationFactory
from reviews import services
from reviews.models import Assignment, CallExpert, CouncilSession, Review
from reviews.services import AttendanceInput
from reviews.tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CallExpertFactory,
    CallFactory,
    CallReviewSettingsFactory,
    CriterionFactory,
    ExpertProfileFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def outsiders(call):
    """Three active experts who are not on the active panel of ``call``: one made
    inactive for it, one on another call's panel only, one on no panel."""
    inactive = ExpertProfileFactory(organisation=OrganisationFactory(), panel=[call])
    CallExpert.objects.filter(expert=inactive).update(active=False)
    elsewhere = ExpertProfileFactory(panel=[CallFactory()])
    nowhere = ExpertProfileFactory()
    return [inactive, elsewhere, nowhere]


# --- services: assignment only from the panel ----------------------------------------


def test_auto_assignment_takes_only_experts_active_on_the_calls_panel(
    call, experts, outsiders, applications, staff, criteria
):
    # given 4 active panel members, 3 outsiders and 4 applications needing 3 reviews
    # when
    created = services.assignments_auto(call=call, actor=staff)
    # then 12 assignments, all to panel members, none to an outsider
    assert len(created) == 12
    assert {a.expert_id for a in created} == {e.pk for e in experts}
    assert not Assignment.objects.filter(expert__in=outsiders).exists()


@pytest.mark.parametrize("which", [0, 1, 2])
def test_an_expert_not_active_for_the_call_is_refused_by_hand_and_by_reassignment(
    call, experts, outsiders, applications, staff, which
):
    outsider = outsiders[which]
    # when assigned by hand, then refused and nothing saved
    with pytest.raises(ValidationError, match="not on the active panel"):
        services.assignment_create(
            expert=outsider, application=applications[0], actor=staff
        )
    assert not Assignment.objects.exists()
    # when given a declined assignment, then refused too
    declined = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    services.assignment_decline(assignment=declined)
    with pytest.raises(ValidationError, match="not on the active panel"):
        services.assignment_reassign(
            assignment=declined, to_expert=outsider, actor=staff
        )
    assert Assignment.objects.count() == 1


def test_empty_panel_means_no_council_nobody_assigned_no_session(staff):
    # given a call with admitted applications, active experts, and no panel
    call = CallFactory()
    CallReviewSettingsFactory(call=call)
    ApplicationFactory(call=call, admitted=True)
    experts = [ExpertProfileFactory() for _ in range(3)]
    # when / then
    assert services.assignments_auto(call=call, actor=staff) == []
    with pytest.raises(ValidationError, match="0 of 0"):
        services.council_session_create(
            call=call,
            held_on=datetime.date(2026, 12, 1),
            attendance=[AttendanceInput(e) for e in experts],
            actor=staff,
        )
    assert not CouncilSession.objects.exists()


def test_deactivating_a_member_withdraws_open_assignments_and_keeps_reviews(
    call, experts, applications, staff, criteria
):
    # given expert 0 holds one open and one submitted assignment on the call
    open_ = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    done = AssignmentFactory(expert=experts[0], application=applications[1])
    Review.objects.create(assignment=done, total=Decimal("70"))
    Assignment.objects.filter(pk=done.pk).update(status="submitted")
    member = CallExpert.objects.get(call=call, expert=experts[0])
    # when staff make them inactive for this call
    services.panel_set_active(member=member, active=False, actor=staff)
    # then the open one is withdrawn (reassignable), the submitted one stays
    open_.refresh_from_db()
    assert open_.status == Assignment.Status.DECLINED
    assert "panel" in open_.note
    assert Assignment.objects.get(pk=done.pk).status == "submitted"
    member.refresh_from_db()
    assert (member.active, member.changed_by) == (False, staff)
    # and automatic assignment no longer picks them
    services.assignments_auto(call=call, actor=staff)
    assert Assignment.objects.filter(expert=experts[0], status="assigned").count() == 0


def test_reactivated_member_can_be_assigned_again(call, experts, applications, staff):
    member = CallExpert.objects.get(call=call, expert=experts[0])
    services.panel_set_active(member=member, active=False, actor=staff)
    services.panel_set_active(member=member, active=True, actor=staff)
    a = services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    assert a.status == Assignment.Status.ASSIGNED


def test_add_all_active_is_idempotent_and_keeps_inactive_members_inactive(
    call, experts, outsiders, staff
):
    # given 4 active members, 1 inactive member and 2 active experts off the panel
    # when
    added = services.panel_add_all_active(call=call, actor=staff)
    again = services.panel_add_all_active(call=call, actor=staff)
    # then the two outsiders are added, once, and the inactive member stays inactive
    assert {m.expert_id for m in added} == {outsiders[1].pk, outsiders[2].pk}
    assert again == []
    assert CallExpert.objects.filter(call=call, active=True).count() == 6
    assert not CallExpert.objects.get(call=call, expert=outsiders[0]).active


def test_expert_on_leave_cannot_join_a_panel(call, staff):
    on_leave = ExpertProfileFactory(active=False)
    with pytest.raises(ValidationError):
        services.panel_add(call=call, expert=on_leave, actor=staff)
    assert not CallExpert.objects.filter(expert=on_leave).exists()


def test_a_member_who_worked_on_the_call_cannot_be_removed(
    call, experts, applications, staff
):
    services.assignment_create(
        expert=experts[0], application=applications[0], actor=staff
    )
    worked = CallExpert.objects.get(call=call, expert=experts[0])
    idle = CallExpert.objects.get(call=call, expert=experts[1])
    with pytest.raises(ValidationError, match="inactive"):
        services.panel_remove(member=worked, actor=staff)
    services.panel_remove(member=idle, actor=staff)
    assert set(CallExpert.objects.values_list("expert_id", flat=True)) == {
        e.pk for e in (experts[0], experts[2], experts[3])
    }


# --- services: quorum from the panel ------------------------------------------------


def test_quorum_is_two_thirds_of_the_calls_active_panel(
    call, experts, outsiders, staff
):
    # given a panel of 6 active members (quorum 4), 1 inactive member, 2 outsiders
    more = [ExpertProfileFactory(panel=[call]) for _ in range(2)]
    panel = experts + more
    # when 3 members and every outsider attend, then no quorum: outsiders don't count
    with pytest.raises(ValidationError, match="3 of 6 council members present, 4"):
        services.council_session_create(
            call=call,
            held_on=datetime.date(2026, 12, 1),
            attendance=[AttendanceInput(e) for e in panel[:3] + outsiders],
            actor=staff,
        )
    assert not CouncilSession.objects.exists()
    # when a fourth member attends, the session opens with only members recorded
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in panel[:4] + outsiders],
        actor=staff,
    )
    assert session.council_size == 6
    assert set(session.attendance.values_list("expert_id", flat=True)) == {
        e.pk for e in panel[:4]
    }


# --- property: whatever the panel, only its active members are assigned ---------------


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    flags=st.lists(
        st.sampled_from(["active", "inactive", "off", "on_leave"]),
        min_size=1,
        max_size=6,
    ),
    n_apps=st.integers(min_value=1, max_value=4),
    min_reviews=st.integers(min_value=1, max_value=4),
)
def test_property_auto_assignment_never_leaves_the_active_panel(
    staff, flags, n_apps, min_reviews
):
    with transaction.atomic():
        # given a panel in every mixture of states
        call = CallFactory()
        CallReviewSettingsFactory(call=call, min_reviews=min_reviews)
        apps = [ApplicationFactory(call=call, admitted=True) for _ in range(n_apps)]
        council = set()
        for flag in flags:
            expert = ExpertProfileFactory(active=flag != "on_leave")
            if flag != "off":
                CallExpertFactory(call=call, expert=expert, active=flag != "inactive")
            if flag == "active":
                council.add(expert.pk)
        # when
        created = services.assignments_auto(call=call, actor=staff)
        # then only council members, each application served as far as possible
        assert {a.expert_id for a in created} <= council
        for app in apps:
            assert app.review_assignments.count() == min(min_reviews, len(council))
        transaction.set_rollback(True)


# --- views ----------------------------------------------------------------------------


ROLES = [
    "anonymous",
    "ngo_leader",
    "expert",
    "staff",
    "fund_officer",
    "official",
    "admin",
]
ALLOWED = {"staff", "admin"}


@pytest.fixture
def panel_world(call, experts, outsiders, applications, make_user):
    users = {r: make_user(r) for r in ROLES if r != "anonymous"}
    users["anonymous"] = None
    users["expert"] = experts[0].user  # a panel member of this very call
    return {
        "call": call,
        "experts": experts,
        "outsiders": outsiders,
        "users": users,
        "member": CallExpert.objects.get(call=call, expert=experts[1]),
    }


def _panel_state():
    return sorted(
        CallExpert.objects.values_list("call_id", "expert_id", "active", "changed_by")
    )


PANEL_POSTS = [
    (
        "reviews:panel_add",
        lambda w: [w["call"].pk],
        lambda w: {"expert": w["outsiders"][2].pk},
    ),
    ("reviews:panel_add_all", lambda w: [w["call"].pk], lambda w: {}),
    ("reviews:panel_set_active", lambda w: [w["member"].pk], lambda w: {"active": "0"}),
    ("reviews:panel_remove", lambda w: [w["member"].pk], lambda w: {}),
]


@pytest.mark.parametrize(("name", "args", "data"), PANEL_POSTS)
@pytest.mark.parametrize("role", ROLES)
def test_panel_actions_answer_each_role_and_denied_ones_change_nothing(
    client, panel_world, name, args, data, role
):
    user = panel_world["users"][role]
    if user is not None:
        client.force_login(user)
    before = _panel_state()
    url = reverse(name, args=args(panel_world))
    # when
    response = client.post(url, data(panel_world))
    # then
    expected = 302 if role in ALLOWED | {"anonymous"} else 403
    assert response.status_code == expected, role
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if role in ALLOWED:
        assert response["Location"].endswith("#panel")
        assert _panel_state() != before
    else:
        assert _panel_state() == before
    # and a GET is never allowed to change the panel
    client.get(url)
    if role not in ALLOWED:
        assert _panel_state() == before


def test_staff_manage_the_panel_from_the_call_page(client, panel_world, staff):
    client.force_login(staff)
    call = panel_world["call"]
    member = panel_world["member"]
    # when staff deactivate one member, then the page counts 3 active, quorum 2
    client.post(reverse("reviews:panel_set_active", args=[member.pk]), {"active": "0"})
    html = client.get(reverse("reviews:call_manage", args=[call.pk])).content.decode()
    assert "3 active · quorum 2" in html
    assert "Inactive for this call" in html
    # and the assignment and session choices hold only the 3 active members
    page = client.get(reverse("reviews:call_manage", args=[call.pk]))
    choices = {e.pk for e in page.context["assign_form"].fields["expert"].queryset}
    active = {e.pk for e in panel_world["experts"]} - {member.expert_id}
    assert choices == active
    form = client.get(reverse("reviews:session_create", args=[call.pk])).context["form"]
    assert {e.pk for e in form.council} == active
    # when staff add one expert by hand, then they are on the panel, active
    outsider = panel_world["outsiders"][2]
    client.post(reverse("reviews:panel_add", args=[call.pk]), {"expert": outsider.pk})
    assert CallExpert.objects.get(call=call, expert=outsider).added_by == staff


def test_manual_assignment_of_an_inactive_member_through_the_page_is_refused(
    client, panel_world, staff, criteria
):
    client.force_login(staff)
    inactive = panel_world["outsiders"][0]
    app = panel_world["call"].applications.first()
    client.post(
        reverse("reviews:assign_manual", args=[panel_world["call"].pk]),
        {"expert": inactive.pk, "application": app.pk},
    )
    assert not Assignment.objects.filter(expert=inactive).exists()


def test_call_page_without_panel_says_so_in_kazakh(client, staff):
    call = CallFactory()
    client.force_login(staff)
    with translation.override("kk"):
        html = client.get(f"/kk/reviews/calls/{call.pk}/").content.decode()
    assert "Барлық белсенді сарапшыларды қосу" in html


@pytest.mark.parametrize("size", [2, 8])
def test_call_page_query_count_does_not_grow_with_the_panel(
    client, staff, size, django_assert_max_num_queries
):
    # given a panel of ``size`` members (a third inactive), each with assignments
    call = CallFactory()
    CriterionFactory(call=call)
    for i in range(size):
        a = AssignmentFactory(application__call=call)
        if i % 3 == 0:
            CallExpert.objects.filter(expert=a.expert).update(active=False)
        ExpertProfileFactory()  # addable, off the panel
    client.force_login(staff)
    # when / then
    with django_assert_max_num_queries(24):
        response = client.get(reverse("reviews:call_manage", args=[call.pk]))
    assert response.status_code == 200
    assert len(response.context["panel"]) == size
